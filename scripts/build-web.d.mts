/** Where the built page goes (packages/web/dist); see build-web.mjs. */
export declare const webRoot: string;
/** Builds the chat page with Vite; rejects with Vite's error. */
export declare function buildWebPage(): Promise<void>;
