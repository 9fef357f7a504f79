import { User, UserManager, WebStorageStateStore } from 'oidc-client-ts';
import type { ConsoleConfig } from './config';

/**
 * Keycloak login with authorization code + PKCE (oidc-client-ts does the S256 challenge). Tokens stay
 * in this tab's sessionStorage and are renewed with the refresh token before they expire.
 */
export function userManager(config: ConsoleConfig): UserManager {
  const home = `${window.location.origin}${import.meta.env.BASE_URL}`;
  return new UserManager({
    authority: config.issuer,
    client_id: config.clientId,
    redirect_uri: home,
    post_logout_redirect_uri: home,
    response_type: 'code',
    scope: 'openid profile',
    automaticSilentRenew: true,
    userStore: new WebStorageStateStore({ store: window.sessionStorage }),
  });
}

/** Finishes a login redirect when Keycloak sent us back with a code, else returns the stored user. */
export async function currentUser(manager: UserManager): Promise<User | null> {
  const params = new URLSearchParams(window.location.search);
  if (params.has('code') || params.has('error')) {
    if (params.has('error')) {
      const reason = params.get('error_description') ?? params.get('error');
      window.history.replaceState({}, '', import.meta.env.BASE_URL);
      throw new Error(`Keycloak refused the login: ${reason}`);
    }
    const user = await manager.signinRedirectCallback();
    window.history.replaceState({}, '', import.meta.env.BASE_URL);
    return user;
  }
  const user = await manager.getUser();
  if (user && user.expired) {
    try {
      return await manager.signinSilent();
    } catch {
      await manager.removeUser();
      return null;
    }
  }
  return user;
}
