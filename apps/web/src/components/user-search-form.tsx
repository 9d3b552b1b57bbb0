// The recommendations page's GET forms: choose a dataset, a user and N; explain any item for that user. The
// state lives in the URL, so every view is a link to share.

interface UserSearchFormProps {
  datasets: { name: string; hasModel: boolean }[];
  dataset?: string;
  userId?: string;
  first: number;
}

export function UserSearchForm({ datasets, dataset, userId, first }: UserSearchFormProps) {
  return (
    <form className="search" method="get" action="/recommendations" role="search" aria-label="Find a user's recommendations">
      <label>
        Dataset
        <select name="dataset" defaultValue={dataset} data-testid="dataset-select">
          {datasets.map((d) => (
            <option key={d.name} value={d.name}>
              {d.name}
              {d.hasModel ? '' : ' (no model)'}
            </option>
          ))}
        </select>
      </label>
      <label>
        User id
        <input name="user" defaultValue={userId} placeholder="e.g. 42" required autoComplete="off" data-testid="user-input" />
      </label>
      <label>
        Top N
        <input name="first" type="number" min={1} max={100} defaultValue={first} style={{ width: 80 }} />
      </label>
      <button type="submit" data-testid="user-submit">
        Show recommendations
      </button>
    </form>
  );
}

interface ExplainItemFormProps {
  dataset: string;
  userId: string;
  first: number;
  itemId?: string;
}

/** Explain the rating of any item (recommended or not) for the chosen user. */
export function ExplainItemForm({ dataset, userId, first, itemId }: ExplainItemFormProps) {
  return (
    <form className="search" method="get" action="/recommendations" aria-label="Explain an item for this user">
      <input type="hidden" name="dataset" value={dataset} />
      <input type="hidden" name="user" value={userId} />
      <input type="hidden" name="first" value={first} />
      <label>
        Explain any item for user {userId}
        <input name="item" defaultValue={itemId} placeholder="item id" required autoComplete="off" data-testid="item-input" />
      </label>
      <button type="submit" data-testid="item-submit">
        Explain
      </button>
    </form>
  );
}
