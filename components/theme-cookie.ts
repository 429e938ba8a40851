// The name of the cookie that carries the chosen theme to the server (app/layout.tsx puts it on
// <html> from the first paint). A module of its own: the layout is a server component and cannot
// take a value from the page's client modules.
export const THEME_COOKIE = 'logpond_theme';
