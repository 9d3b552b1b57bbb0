// Shown while a page waits for the API (pages render on the server, per request).
export default function Loading() {
  return (
    <>
      <p className="loading" role="status">
        Loading from the API…
      </p>
      <div className="skeleton" />
    </>
  );
}
