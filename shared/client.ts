/**
 * A typed client over any transport that carries `ApiRequest` envelopes. The renderer uses it over
 * IPC (preload) or HTTP (harness); tests and the CLI use it over direct calls.
 */
import type { ApiError, ApiInput, ApiMethod, ApiRequest, ApiResponse, ApiResults } from './contract';

export type Transport = (req: ApiRequest) => Promise<ApiResponse>;

/** Thrown by the client when the engine answers with an error envelope. */
export class ApiCallError extends Error {
  readonly code: ApiError['code'];
  readonly issues: ApiError['issues'];
  /** The engine's reason code and parameters, where it gave one. */
  readonly reason: ApiError['reason'];
  readonly params: ApiError['params'];
  constructor(err: ApiError) {
    super(err.message);
    this.name = 'ApiCallError';
    this.code = err.code;
    this.issues = err.issues;
    this.reason = err.reason;
    this.params = err.params;
  }
}

export interface ApiClient {
  call<M extends ApiMethod>(method: M, payload?: ApiInput<M>): Promise<ApiResults[M]>;
  /** Session token sent with every call; set by sign-in, cleared by sign-out. */
  token: string | null;
}

/** Makes a client; throws `ApiCallError` for error envelopes. */
export function createClient(transport: Transport): ApiClient {
  const client: ApiClient = {
    token: null,
    async call(method, payload) {
      const res = await transport({ method, token: client.token, payload: payload ?? {} });
      if (!res.ok) throw new ApiCallError(res.error);
      const result = res.result as ApiResults[typeof method];
      if (method === 'app.setup' || method === 'auth.signIn' || method === 'auth.recover' || method === 'backup.restore') {
        client.token = (result as ApiResults['auth.signIn']).token;
      } else if (method === 'auth.signOut') {
        client.token = null;
      }
      return result;
    },
  };
  return client;
}
