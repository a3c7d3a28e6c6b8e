import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { UiMessage } from "@sluice/protocol";
import { uiMessagesToProvider } from "./ui-messages-to-provider.js";

const messages = (raw: unknown[]) => raw.map((message) => UiMessage.parse(message));

describe("uiMessagesToProvider", () => {
  test("splits an assistant message into steps, each with its calls and results, ids unchanged", () => {
    const converted = uiMessagesToProvider(
      messages([
        { id: "u", role: "user", parts: [{ type: "text", text: "Weather?" }] },
        {
          id: "a",
          role: "assistant",
          parts: [
            { type: "step-start" },
            { type: "text", text: "Checking." },
            {
              type: "tool-get_weather",
              toolCallId: "call_1",
              state: "output-available",
              input: { city: "Paris" },
              output: { celsius: 21 },
            },
            {
              type: "dynamic-tool",
              toolName: "lookup",
              toolCallId: "call_2",
              state: "output-error",
              input: {},
              errorText: "Down",
            },
            { type: "tool-pending", toolCallId: "call_3", state: "input-available", input: {} },
            { type: "step-start" },
            { type: "reasoning", text: "hidden" },
            { type: "text", text: "It is 21 °C." },
          ],
        },
      ]),
    );
    assert.deepEqual(converted, [
      { role: "user", content: "Weather?" },
      {
        role: "assistant",
        content: "Checking.",
        tool_calls: [
          {
            id: "call_1",
            type: "function",
            function: { name: "get_weather", arguments: '{"city":"Paris"}' },
          },
          { id: "call_2", type: "function", function: { name: "lookup", arguments: "{}" } },
        ],
      },
      { role: "tool", tool_call_id: "call_1", content: '{"celsius":21}' },
      { role: "tool", tool_call_id: "call_2", content: "Down" },
      { role: "assistant", content: "It is 21 °C." },
    ]);
  });

  test("gives a user's text files in full and says which other files it could not pass on", () => {
    const notes = Buffer.from("# Notes\nNaïve café ✓", "utf8").toString("base64");
    const converted = uiMessagesToProvider(
      messages([
        {
          id: "u",
          role: "user",
          parts: [
            {
              type: "file",
              mediaType: "text/markdown",
              filename: "notes.md",
              url: `data:text/markdown;base64,${notes}`,
            },
            {
              type: "file",
              mediaType: "application/json",
              url: "data:application/json,%7B%22a%22%3A1%7D",
            },
            {
              type: "file",
              mediaType: "application/pdf",
              filename: "a.pdf",
              url: "data:application/pdf;base64,JVBERi0=",
            },
            {
              type: "file",
              mediaType: "text/plain",
              filename: "far.txt",
              url: "https://example.com/far.txt",
            },
            { type: "text", text: "Summarize these." },
          ],
        },
      ]),
    );
    assert.deepEqual(converted, [
      {
        role: "user",
        content:
          '<file name="notes.md" type="text/markdown">\n# Notes\nNaïve café ✓\n</file>\n\n' +
          '<file name="attachment" type="application/json">\n{"a":1}\n</file>\n\n' +
          "[The user attached a.pdf (application/pdf); this gateway cannot pass that file to the model.]\n\n" +
          "[The user attached far.txt (text/plain); this gateway cannot pass that file to the model.]\n\n" +
          "Summarize these.",
      },
    ]);
  });

  test("keeps images of user messages and drops what no provider takes", () => {
    const converted = uiMessagesToProvider(
      messages([
        { id: "s", role: "system", parts: [{ type: "text", text: "Be brief." }] },
        {
          id: "u",
          role: "user",
          parts: [
            { type: "text", text: "What is this?" },
            { type: "file", mediaType: "image/png", url: "data:image/png;base64,AA==" },
            { type: "data-note", data: 1 },
          ],
        },
        { id: "e", role: "user", parts: [{ type: "data-note", data: 2 }] },
      ]),
    );
    assert.deepEqual(converted, [
      { role: "system", content: "Be brief." },
      {
        role: "user",
        content: [
          { type: "text", text: "What is this?" },
          { type: "image_url", image_url: { url: "data:image/png;base64,AA==" } },
        ],
      },
    ]);
  });
});
