/** The lesson's minimal stream (`POST /api/stream`): one small JSON object per SSE message. */
export type CompactFrame = { t: string } | { done: true } | { error: string };
