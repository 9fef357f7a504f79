import { createClient, type Client } from 'graphql-ws';

/** A GraphQL or HTTP failure, with the stable code the services give (e.g. FORBIDDEN, IMAGE_TOO_LARGE). */
export class ApiError extends Error {
  constructor(message: string, readonly code: string | null = null, readonly status: number | null = null) {
    super(message);
  }
}

export interface Box { x: number; y: number; width: number; height: number }
export interface Finding { label: string; confidence: number; box: Box | null }
export type Status = 'RECEIVED' | 'ANALYZING' | 'COMPLETED' | 'FAILED';
export interface AnalysisResult {
  attempt: number;
  analyzedAt: string;
  analyzers: { analyzer: string; model: string; durationMs: number }[];
  objects: Finding[];
  text: Finding[];
  faces: Finding[];
  quality: Finding[];
  exif: Finding[];
}
export interface Analysis {
  status: Status;
  attempts: number;
  updatedAt: string;
  failureCode: string | null;
  failureDetail: string | null;
  result: AnalysisResult | null;
}
export interface Image {
  id: string;
  assetId: string | null;
  originalName: string;
  contentType: string;
  sizeBytes: number;
  width: number;
  height: number;
  capturedAt: string | null;
  location: { latitude: number; longitude: number } | null;
  uploadedBy: string;
  uploadedAt: string;
  analysis: Analysis | null;
}

const FINDING = 'label confidence box { x y width height }';
export const IMAGE_FIELDS = `id assetId originalName contentType sizeBytes width height capturedAt
  location { latitude longitude } uploadedBy uploadedAt
  analysis { status attempts updatedAt failureCode failureDetail
    result { attempt analyzedAt analyzers { analyzer model durationMs }
      objects { ${FINDING} } text { ${FINDING} } faces { ${FINDING} } quality { ${FINDING} } exif { ${FINDING} } } }`;

/** What a person should read for each error code the services return. */
const MESSAGES: Record<string, string> = {
  UNAUTHORIZED: 'Your session has expired. Sign in again.',
  FORBIDDEN: 'Your account is not allowed to do this (ask an administrator for the role).',
  NOT_FOUND: 'This image does not exist, or belongs to another organisation.',
  IMAGE_NOT_FOUND: 'This image does not exist, or belongs to another organisation.',
  RATE_LIMITED: 'Too many requests. Wait a moment and try again.',
  UNAVAILABLE: 'The service is unavailable right now. Try again in a moment.',
};

export function explain(error: unknown): string {
  if (error instanceof ApiError) {
    const known = error.code ? MESSAGES[error.code] : undefined;
    return known ? `${known} (${error.code})` : error.message;
  }
  if (error instanceof TypeError) {
    return 'The console cannot reach the server. Check your connection and try again.';
  }
  return error instanceof Error ? error.message : String(error);
}

async function problem(response: Response): Promise<ApiError> {
  const text = await response.text();
  try {
    const body = JSON.parse(text) as { detail?: string; title?: string; code?: string };
    const code = body.code ?? (response.status === 401 ? 'UNAUTHORIZED' : response.status === 403 ? 'FORBIDDEN'
      : response.status === 429 ? 'RATE_LIMITED' : response.status === 503 ? 'UNAVAILABLE' : null);
    return new ApiError(body.detail ?? body.title ?? `HTTP ${response.status}`, code, response.status);
  } catch {
    const code = response.status === 401 ? 'UNAUTHORIZED' : response.status === 403 ? 'FORBIDDEN' : null;
    return new ApiError(`The server answered HTTP ${response.status}.`, code, response.status);
  }
}

export class Api {
  private ws: Client | null = null;

  constructor(private readonly token: () => string) {}

  async graphql<T>(query: string, variables: Record<string, unknown> = {}): Promise<T> {
    const response = await fetch('/graphql', {
      method: 'POST',
      headers: {
        'Content-Type': 'application/json',
        Accept: 'application/graphql-response+json, application/json',
        Authorization: `Bearer ${this.token()}`,
      },
      body: JSON.stringify({ query, variables }),
    });
    const text = await response.text();
    let body: { data?: T; errors?: { message: string; extensions?: { code?: string } }[] } | null = null;
    try {
      body = text ? JSON.parse(text) : null;
    } catch {
      body = null;
    }
    if (body?.errors?.length) {
      const first = body.errors[0];
      throw new ApiError(first.message, first.extensions?.code ?? null, response.status);
    }
    if (!response.ok || !body?.data) {
      throw await problem(new Response(text, { status: response.status }));
    }
    return body.data;
  }

  /** Uploads one photo with XMLHttpRequest, the browser API that reports upload progress. */
  upload(file: File, assetId: string, onProgress: (fraction: number) => void): Promise<{ id: string; duplicate: boolean }> {
    return new Promise((resolve, reject) => {
      const form = new FormData();
      form.append('file', file, file.name);
      const request = new XMLHttpRequest();
      const url = assetId ? `/api/v1/images?assetId=${encodeURIComponent(assetId)}` : '/api/v1/images';
      request.open('POST', url);
      request.setRequestHeader('Authorization', `Bearer ${this.token()}`);
      request.setRequestHeader('Idempotency-Key', `web-${crypto.randomUUID()}`);
      request.upload.onprogress = (event) => {
        if (event.lengthComputable) onProgress(event.loaded / event.total);
      };
      request.onerror = () => reject(new TypeError('network'));
      request.onload = async () => {
        const response = new Response(request.responseText, { status: request.status });
        if (request.status === 202 || request.status === 200) {
          onProgress(1);
          resolve(JSON.parse(request.responseText));
        } else {
          reject(await problem(response));
        }
      };
      request.send(form);
    });
  }

  /** The original photo as a blob URL: fetched with the token, never linked with it. */
  async photo(imageId: string): Promise<string> {
    const response = await fetch(`/api/v1/images/${encodeURIComponent(imageId)}/content`, {
      headers: { Authorization: `Bearer ${this.token()}` },
    });
    if (!response.ok) throw await problem(response);
    return URL.createObjectURL(await response.blob());
  }

  /**
   * Live analysis status over graphql-ws. Browsers cannot set headers on a WebSocket, so the token
   * travels in the handshake's query (the gateway moves it into the Authorization header) and in
   * connection_init.
   */
  subscribe(onUpdate: (update: { imageId: string; status: Status; attempts: number }) => void,
    onError: (message: string) => void, onConnected: (connected: boolean) => void): () => void {
    const scheme = window.location.protocol === 'https:' ? 'wss' : 'ws';
    this.ws = createClient({
      url: () => `${scheme}://${window.location.host}/graphql?access_token=${encodeURIComponent(this.token())}`,
      connectionParams: () => ({ Authorization: `Bearer ${this.token()}` }),
      retryAttempts: Infinity,
      shouldRetry: () => true,
      on: {
        connected: () => onConnected(true),
        closed: () => onConnected(false),
      },
    });
    return this.ws.subscribe<{ analysisUpdates: { imageId: string; status: Status; attempts: number } }>(
      { query: 'subscription { analysisUpdates { imageId status attempts updatedAt failureCode } }' },
      {
        next: (message) => {
          if (message.data) onUpdate(message.data.analysisUpdates);
          if (message.errors?.length) onError(message.errors[0].message);
        },
        error: (error) => onError(error instanceof Error ? error.message : 'The live connection failed.'),
        complete: () => undefined,
      },
    );
  }

  close(): void {
    void this.ws?.dispose();
  }
}
