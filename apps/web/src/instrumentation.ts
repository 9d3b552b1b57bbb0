// Runs once when the dashboard's server starts: validates the config, so a bad EIOR_API_URL is reported in
// the log of `next start` at once rather than on the first page someone opens.
export async function register(): Promise<void> {
  if (process.env.NEXT_RUNTIME !== 'nodejs') return;
  const { webConfig } = await import('./config');
  const config = webConfig();
  console.log(`EIOR dashboard: reading the API at ${config.apiUrl}`);
}
