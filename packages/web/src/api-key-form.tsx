import { type FormEvent, useEffect, useRef, useState } from "react";

/**
 * Asks for the gateway's API key (the server has `SLUICE_API_KEYS` set and answered 401).
 * `rejected`: a key was given and the server refused it.
 */
export function ApiKeyForm({
  rejected,
  onSubmit,
}: {
  rejected: boolean;
  onSubmit(apiKey: string): void;
}) {
  const [value, setValue] = useState("");
  const input = useRef<HTMLInputElement>(null);
  useEffect(() => input.current?.focus(), []);
  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (value.trim() !== "") onSubmit(value.trim());
  };
  return (
    <form className="api-key" onSubmit={submit} aria-labelledby="api-key-title">
      <h2 id="api-key-title">This gateway needs an API key</h2>
      <p>
        {rejected
          ? "The key was not accepted. Check it and try again."
          : "Enter one of the keys in the server's SLUICE_API_KEYS. It is kept in this browser and sent with every request."}
      </p>
      <label htmlFor="api-key-input">API key</label>
      <div className="row">
        <input
          id="api-key-input"
          ref={input}
          type="password"
          autoComplete="off"
          value={value}
          onChange={(event) => setValue(event.target.value)}
        />
        <button type="submit">Save key</button>
      </div>
    </form>
  );
}
