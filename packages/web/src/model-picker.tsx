import type { ModelChoice } from "./use-models.js";

/** The model menu; a simulated (demo) model says so in its name and beside the menu. */
export function ModelPicker({
  models,
  value,
  onChange,
}: {
  models: ModelChoice[];
  value: string;
  onChange(model: string): void;
}) {
  const chosen = models.find((model) => model.id === value);
  return (
    <div className="model-picker">
      <label htmlFor="model">Model</label>
      <select id="model" value={value} onChange={(event) => onChange(event.target.value)}>
        {models.map((model) => (
          <option key={model.id} value={model.id}>
            {model.simulated ? `${model.id} (simulated)` : model.id}
          </option>
        ))}
      </select>
      {chosen?.simulated && (
        <span className="badge" data-testid="demo-badge">
          Demo model: simulated answers, not an LLM
        </span>
      )}
    </div>
  );
}
