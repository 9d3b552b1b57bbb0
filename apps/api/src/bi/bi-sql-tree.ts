// Reading libpg_query's parse trees (PostgreSQL's nodes as JSON: { "SelectStmt": { ... } }): a walk over every
// node and the SQL command name of a statement node, for the BI endpoint's statement guard.

/** One node's fields, as libpg_query gives them (fields at their default value are left out). */
export type SqlNode = Record<string, unknown>;

/**
 * Calls visit(type, fields) for every typed node under `root` (the root's own fields included, depth first);
 * visit returns false to stop the walk.
 */
export function walkSqlTree(root: SqlNode, visit: (type: string, node: SqlNode) => boolean): void {
  const stack: unknown[] = [root];
  while (stack.length > 0) {
    const value = stack.pop();
    if (Array.isArray(value)) {
      stack.push(...value);
      continue;
    }
    if (value === null || typeof value !== 'object') continue;
    for (const [key, child] of Object.entries(value as SqlNode)) {
      // a node type is a PascalCase key whose value is an object: { "FuncCall": { funcname: [...] } }
      if (/^[A-Z]/.test(key) && child !== null && typeof child === 'object' && !Array.isArray(child)) {
        if (!visit(key, child as SqlNode)) return;
      }
      stack.push(child);
    }
  }
}

/** Node types whose SQL command is not simply the type name without Stmt, upper-cased. */
const TAGS: Record<string, string> = {
  InsertStmt: 'INSERT', UpdateStmt: 'UPDATE', DeleteStmt: 'DELETE', MergeStmt: 'MERGE', TruncateStmt: 'TRUNCATE', CopyStmt: 'COPY',
  CreateStmt: 'CREATE TABLE', CreateTableAsStmt: 'CREATE TABLE AS', ViewStmt: 'CREATE VIEW', IndexStmt: 'CREATE INDEX',
  CreateSchemaStmt: 'CREATE SCHEMA', CreateFunctionStmt: 'CREATE FUNCTION', CreateRoleStmt: 'CREATE ROLE', DropStmt: 'DROP',
  AlterTableStmt: 'ALTER TABLE', AlterRoleStmt: 'ALTER ROLE', AlterRoleSetStmt: 'ALTER ROLE SET', AlterSystemStmt: 'ALTER SYSTEM',
  AlterDatabaseSetStmt: 'ALTER DATABASE SET', GrantStmt: 'GRANT/REVOKE', GrantRoleStmt: 'GRANT/REVOKE role', CommentStmt: 'COMMENT',
  SecLabelStmt: 'SECURITY LABEL', DoStmt: 'DO', CallStmt: 'CALL', VacuumStmt: 'VACUUM/ANALYZE', ClusterStmt: 'CLUSTER',
  ReindexStmt: 'REINDEX', RefreshMatViewStmt: 'REFRESH MATERIALIZED VIEW', LockStmt: 'LOCK', CheckPointStmt: 'CHECKPOINT',
  LoadStmt: 'LOAD', ListenStmt: 'LISTEN', NotifyStmt: 'NOTIFY', ImportForeignSchemaStmt: 'IMPORT FOREIGN SCHEMA',
  ReassignOwnedStmt: 'REASSIGN OWNED', DropOwnedStmt: 'DROP OWNED', CreateExtensionStmt: 'CREATE EXTENSION', RuleStmt: 'CREATE RULE',
  CreateTrigStmt: 'CREATE TRIGGER', AlterOwnerStmt: 'ALTER ... OWNER', RenameStmt: 'ALTER ... RENAME', CreateSeqStmt: 'CREATE SEQUENCE',
  AlterDefaultPrivilegesStmt: 'ALTER DEFAULT PRIVILEGES', ConstraintsSetStmt: 'SET CONSTRAINTS', CreatedbStmt: 'CREATE DATABASE',
  DropdbStmt: 'DROP DATABASE', SelectStmt: 'SELECT', ExplainStmt: 'EXPLAIN',
};

/** The SQL command a statement node stands for, for messages: 'InsertStmt' -> 'INSERT'. */
export function statementTag(type: string): string {
  return TAGS[type] ?? type.replace(/Stmt$/, '').replace(/([a-z])([A-Z])/g, '$1 $2').toUpperCase();
}
