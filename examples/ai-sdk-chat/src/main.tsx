import { StrictMode } from "react";
import { createRoot } from "react-dom/client";
import { Chat } from "./chat.js";
import "./style.css";

const root = document.getElementById("root");
if (!root) throw new Error("index.html has no #root");
createRoot(root).render(
  <StrictMode>
    <Chat />
  </StrictMode>,
);
