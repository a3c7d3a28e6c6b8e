import { useEffect, useState } from "react";

/** One model the gateway serves. */
export interface ModelChoice {
  id: string;
  /** The demo model: simulated answers, not a real LLM. */
  simulated: boolean;
}

/** What the gateway's `GET /v1/models` told the page. */
export interface Models {
  state: "loading" | "ready" | "unauthorized" | "failed";
  models: ModelChoice[];
  /** The server's `DEFAULT_MODEL` (or its own default). */
  defaultModel: string | undefined;
}

interface ModelList {
  data?: { id?: unknown; simulated?: unknown }[];
  default_model?: unknown;
}

/**
 * Loads `GET /v1/models` (with the API key, when there is one) again whenever the key
 * changes. A 401 is the `unauthorized` state, so the page can ask for a key.
 */
export function useModels(apiKey: string): Models {
  const [models, setModels] = useState<Models>({
    state: "loading",
    models: [],
    defaultModel: undefined,
  });
  useEffect(() => {
    const controller = new AbortController();
    const headers: Record<string, string> = apiKey ? { authorization: `Bearer ${apiKey}` } : {};
    fetch("/v1/models", { headers, signal: controller.signal })
      .then(async (response) => {
        if (response.status === 401) {
          setModels({ state: "unauthorized", models: [], defaultModel: undefined });
          return;
        }
        if (!response.ok) throw new Error(`GET /v1/models answered ${response.status}`);
        const list = (await response.json()) as ModelList;
        const choices = (list.data ?? []).flatMap((model) =>
          typeof model.id === "string"
            ? [{ id: model.id, simulated: model.simulated === true }]
            : [],
        );
        const defaultModel =
          typeof list.default_model === "string" ? list.default_model : undefined;
        setModels({ state: "ready", models: choices, defaultModel });
      })
      .catch(() => {
        if (controller.signal.aborted) return;
        // The page still works: a request without a model gets the server's default.
        setModels({ state: "failed", models: [], defaultModel: undefined });
      });
    return () => controller.abort();
  }, [apiKey]);
  return models;
}
