// The typed client: openapi-fetch over the types openapi-typescript generated from openapi/v1.json.
import createClient from "openapi-fetch";
import type { components, paths } from "../generated/contentapi.js";

export type Schemas = components["schemas"];
export type Problem = Schemas["Problem"];

export const baseUrl = process.env.CONTENTAPI_URL ?? "http://127.0.0.1:5090";
export const adminKey = process.env.CONTENTAPI_ADMIN_KEY ?? "dev-admin-key-change-me";
export const sampleSlug = "as-wanti-wanti-korut-soal-senjata-untuk-rusia";

/** Anonymous reader: published content only. */
export const reader = createClient<paths>({ baseUrl });

/** Sends the key as Authorization: Bearer on every request. */
export const editor = createClient<paths>({ baseUrl, headers: { Authorization: `Bearer ${adminKey}` } });

/**
 * A GET that takes fields= answers anyOf [the whole resource, the fields= subset] in the document (a fields= answer
 * has only the fields named). Without fields= it is the whole resource: this says so once, where the request is made.
 */
export function whole<T>(data: object | undefined): T {
  if (data === undefined) throw new Error("no body");
  return data as T;
}
