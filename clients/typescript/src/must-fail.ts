// Must NOT compile: the request body omits speakerId, which QuoteRequest requires. scripts/frontend-check.sh asserts
// that tsc rejects this file, and for that reason, so the generated types cannot quietly decay into `any`.
import { editor } from "./api.js";

export async function createQuoteWithoutSpeaker() {
  return editor.POST("/v1/quotes", {
    body: {
      text: "Mereka akan menanggung konsekuensinya di komunitas internasional",
      language: "id",
      type: "direct",
    },
  });
}
