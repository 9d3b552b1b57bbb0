"""What Superset (SQLAlchemy + psycopg2) and psycopg 3 programs do with the BI endpoint; prints one JSON report.

Usage: python_clients.py HOST PORT [answer]. Each part records what it saw or the error it met (with its SQLSTATE),
for the jest test to check. With `answer`: one query each through psycopg2 and psycopg 3, nothing else.
"""
import json
import sys

import psycopg
import psycopg2
import sqlalchemy
from sqlalchemy import inspect, text

HOST, PORT = sys.argv[1], int(sys.argv[2])
DSN = f"host={HOST} port={PORT} dbname=postgres user=eior sslmode=disable"
WRITES = [
    "INSERT INTO eior.environments (dataset) VALUES ('x')",
    "UPDATE eior.recommendations SET rating = 0",
    "DELETE FROM eior.model_versions",
    "CREATE TABLE eior.t (a int)",
    "SELECT set_config('role', 'postgres', false)",
]


def sqlalchemy_psycopg2():
    """Superset's dataset screens: schemas, tables, columns with comments (inspect), then a bound query."""
    engine = sqlalchemy.create_engine(f"postgresql+psycopg2://eior@{HOST}:{PORT}/postgres?sslmode=disable")
    insp = inspect(engine)
    out = {"schemas": insp.get_schema_names(), "tables": {}}
    for table in insp.get_table_names(schema="eior"):
        out["tables"][table] = {
            "comment": insp.get_table_comment(table, schema="eior")["text"],
            "columns": [[c["name"], c["comment"]] for c in insp.get_columns(table, schema="eior")],
        }
    with engine.connect() as conn:
        out["bound"] = conn.execute(text("SELECT count(*) FROM eior.recommendations WHERE dataset = :d"), {"d": "s"}).scalar()
    out["refused"] = []
    for sql in WRITES:
        with engine.connect() as conn:
            try:
                conn.execute(text(sql))
                out["refused"].append([sql, None])
            except sqlalchemy.exc.DBAPIError as err:
                out["refused"].append([sql, err.orig.pgcode])
    engine.dispose()
    return out


def psycopg3():
    """psycopg 3: catalog reads with col_description, a server-side bound parameter, refused writes."""
    out = {}
    with psycopg.connect(DSN) as conn:
        cur = conn.cursor()
        cur.execute("SELECT schema_name FROM information_schema.schemata ORDER BY 1")
        out["schemas"] = [r[0] for r in cur.fetchall()]
        cur.execute(
            """SELECT c.table_name, obj_description(format('%%I.%%I', c.table_schema, c.table_name)::regclass, 'pg_class'),
                      c.column_name, col_description(format('%%I.%%I', c.table_schema, c.table_name)::regclass, c.ordinal_position) AS comment
                 FROM information_schema.columns c WHERE c.table_schema = %s ORDER BY c.table_name, c.ordinal_position""",
            ["eior"],
        )
        tables = {}
        for table, table_comment, column, comment in cur.fetchall():
            tables.setdefault(table, {"comment": table_comment, "columns": []})["columns"].append([column, comment])
        out["tables"] = tables
        cur.execute("SELECT count(*) FROM eior.recommendations WHERE dataset = %s AND rank <= %s", ["s", 2])
        out["bound"] = cur.fetchone()[0]
        conn.rollback()
    out["refused"] = []
    for sql in WRITES:
        with psycopg.connect(DSN) as conn:
            try:
                conn.execute(sql)
                out["refused"].append([sql, None])
            except psycopg.Error as err:
                out["refused"].append([sql, err.sqlstate])
    return out


def held_transactions(count=10):
    """psycopg2's default: every connection opens a transaction at its first query and keeps it open; each is
    then asked again in turn from this one thread (the case that used to wait for the first to commit)."""
    conns = [psycopg2.connect(DSN) for _ in range(count)]
    answers = []
    try:
        for k, conn in enumerate(conns):
            cur = conn.cursor()
            cur.execute("SELECT %s::int AS k, count(*) FROM eior.environments", [k])
            answers.append(list(cur.fetchone()))
        statuses = [conn.info.transaction_status for conn in conns]
        for k, conn in enumerate(conns):
            cur = conn.cursor()
            cur.execute("SELECT %s::int AS k, count(*) FROM eior.environments", [k])
            answers.append(list(cur.fetchone()))
        return {"answers": answers, "in_transaction": [s == psycopg2.extensions.TRANSACTION_STATUS_INTRANS for s in statuses]}
    finally:
        for conn in conns:
            conn.close()


def named_cursor():
    """psycopg2's named (server-side) cursor, as pandas.read_sql(chunksize=...) and SQLAlchemy's stream_results use
    it: DECLARE, then FETCH FORWARD itersize; while it is open, other connections (psycopg2, psycopg 3) query. Then
    the same with psycopg 3's server-side cursor."""
    reader = psycopg2.connect(DSN)
    try:
        cur = reader.cursor(name="ranks")
        cur.itersize = 2
        cur.execute("SELECT rank FROM eior.recommendations WHERE dataset = %s ORDER BY user_id, rank", ["s"])
        ranks = [r[0] for r in cur.fetchmany(2)]
        others = answer()
        ranks += [r[0] for r in cur.fetchall()]
        cur.close()
        reader.commit()
    finally:
        reader.close()
    # psycopg 3's server-side cursor: DECLARE and FETCH through the extended protocol, described as a portal
    with psycopg.connect(DSN) as reader3:
        cur3 = reader3.cursor(name="ranks3")
        cur3.itersize = 2
        cur3.execute("SELECT rank FROM eior.recommendations WHERE dataset = %s ORDER BY user_id, rank", ["s"])
        ranks3 = [r[0] for r in cur3.fetchmany(2)]
        others3 = answer()
        ranks3 += [r[0] for r in cur3.fetchall()]
        cur3.close()
    return {"fetched": ranks, "others": others, "psycopg3": {"fetched": ranks3, "others": others3}}


def answer():
    """One query through psycopg2 and one through psycopg 3, each on a connection of its own, in autocommit off."""
    out = {}
    try:
        with psycopg2.connect(DSN) as conn:
            cur = conn.cursor()
            cur.execute("SELECT %s::int, count(*) FROM eior.environments", [2])
            out["psycopg2"] = list(cur.fetchone())
    except psycopg2.Error as err:
        out["psycopg2"] = {"sqlstate": err.pgcode, "error": str(err)}
    try:
        with psycopg.connect(DSN) as conn:
            out["psycopg3"] = list(conn.execute("SELECT %s::int, count(*) FROM eior.environments", [3]).fetchone())
    except psycopg.Error as err:
        out["psycopg3"] = {"sqlstate": err.sqlstate, "error": str(err)}
    return out


def guarded(part):
    try:
        return part()
    except psycopg2.Error as err:
        return {"error": f"{type(err).__name__}: {err}", "sqlstate": err.pgcode}
    except Exception as err:  # reported to the test, which fails naming the part and the error
        return {"error": f"{type(err).__name__}: {err}"}


if len(sys.argv) > 3 and sys.argv[3] == "answer":
    print(json.dumps(answer()))
else:
    parts = [("sqlalchemy_psycopg2", sqlalchemy_psycopg2), ("psycopg3", psycopg3), ("held_transactions", held_transactions), ("named_cursor", named_cursor)]
    print(json.dumps({name: guarded(part) for name, part in parts}))
