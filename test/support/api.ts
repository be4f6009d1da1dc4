import { fetchAndSolve } from './altcha';
import { recordPersonalValues, type TestStatement } from './citizens';

/** Minimal client of the Citizen API for the suites. */
export interface ApiResponse {
  readonly status: number;
  readonly headers: Headers;
  readonly body: unknown;
}

export async function postStatement(
  baseUrl: string,
  body: unknown,
  init: { contentType?: string; raw?: string } = {},
): Promise<ApiResponse> {
  const res = await fetch(`${baseUrl}/api/statements`, {
    method: 'POST',
    headers: { 'content-type': init.contentType ?? 'application/json' },
    body: init.raw ?? JSON.stringify(body),
  });
  const text = await res.text();
  let parsed: unknown = text;
  try {
    parsed = JSON.parse(text);
  } catch {
    // keep the text
  }
  return { status: res.status, headers: res.headers, body: parsed };
}

export async function getJson(baseUrl: string, path: string): Promise<ApiResponse> {
  const res = await fetch(`${baseUrl}${path}`);
  return { status: res.status, headers: res.headers, body: await res.json() };
}

export interface Progress {
  total: number;
  countries: Record<string, { count: number; threshold: number }>;
  countriesAtThreshold: number;
  updatedAt: string;
}

export async function progress(baseUrl: string): Promise<Progress> {
  return (await getJson(baseUrl, '/api/progress')).body as Progress;
}

/** Signs `statement` with a freshly solved challenge, recording its personal values for the privacy scan. */
export async function signRecorded(baseUrl: string, valuesFile: string, statement: TestStatement) {
  recordPersonalValues(valuesFile, statement);
  return postStatement(baseUrl, { ...statement, altcha: await fetchAndSolve(baseUrl) });
}
