// Who the page is shown to (GET /api/auth/account), for the topbar's account corner.

/** How the user is known: `off` when sign-in is off (LOGPOND_AUTH_USERS and the proxy header unset). */
export type SignIn = 'off' | 'session' | 'proxy';

export interface AccountResponse {
  /** Null when sign-in is off: everyone is the same anonymous user. */
  user: string | null;
  /**
   * `session`: signed in with a built-in user, signed out by POST /api/auth/logout. `proxy`: named
   * by the authenticating proxy, which is where one signs out.
   */
  signIn: SignIn;
}
