/** Where the console finds Keycloak; api-gateway serves it from its configuration (local or kind). */
export interface ConsoleConfig {
  /** The realm's issuer URI, e.g. http://127.0.0.1:8180/realms/tu. */
  issuer: string;
  /** The public client that logs the console in with authorization code + PKCE. */
  clientId: string;
}

export async function loadConfig(): Promise<ConsoleConfig> {
  const response = await fetch(`${import.meta.env.BASE_URL}config.json`, { cache: 'no-store' });
  if (!response.ok) {
    throw new Error(`The console's configuration could not be loaded (HTTP ${response.status}).`);
  }
  return (await response.json()) as ConsoleConfig;
}
