// What JDBC tools (Metabase, Tableau, DBeaver) do with the BI endpoint through pgjdbc; prints one JSON report.
// Usage: java -cp postgresql.jar:. BiClients HOST PORT [cursor]
// With `cursor`: opens a cursor (fetch size 2, autocommit off), prints the first rows as one JSON line, waits for a
// line on stdin while keeping the cursor open, then reads the rest and prints them.
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.sql.*;
import java.util.*;

public class BiClients {
  static String json(Object v) {
    if (v == null) return "null";
    if (v instanceof Number || v instanceof Boolean) return v.toString();
    if (v instanceof Map) {
      StringJoiner j = new StringJoiner(",", "{", "}");
      for (Map.Entry<?, ?> e : ((Map<?, ?>) v).entrySet()) j.add(json(e.getKey().toString()) + ":" + json(e.getValue()));
      return j.toString();
    }
    if (v instanceof List) {
      StringJoiner j = new StringJoiner(",", "[", "]");
      for (Object o : (List<?>) v) j.add(json(o));
      return j.toString();
    }
    StringBuilder b = new StringBuilder("\"");
    for (char c : v.toString().toCharArray()) {
      if (c == '"' || c == '\\') b.append('\\').append(c);
      else if (c < 0x20) b.append(String.format("\\u%04x", (int) c));
      else b.append(c);
    }
    return b.append('"').toString();
  }

  /** DBeaver or Metabase reading a large result page by page: the cursor stays open between pages. */
  static void holdCursor(String url) throws Exception {
    Map<String, Object> out = new LinkedHashMap<>();
    try (Connection conn = DriverManager.getConnection(url)) {
      conn.setAutoCommit(false);
      try (Statement st = conn.createStatement()) {
        st.setFetchSize(2);
        List<Object> ranks = new ArrayList<>();
        try (ResultSet rs = st.executeQuery("SELECT rank FROM eior.recommendations WHERE dataset = 's' ORDER BY user_id, rank")) {
          for (int i = 0; i < 2 && rs.next(); i++) ranks.add(rs.getInt(1));
          System.out.println(json(Collections.singletonMap("open", ranks)));
          System.out.flush();
          new BufferedReader(new InputStreamReader(System.in)).readLine();
          while (rs.next()) ranks.add(rs.getInt(1));
        }
        out.put("fetched", ranks);
      }
      conn.commit();
    } catch (SQLException e) {
      out.put("error", e.getSQLState() + ": " + e.getMessage());
    }
    System.out.println(json(out));
  }

  public static void main(String[] args) throws Exception {
    String url = "jdbc:postgresql://" + args[0] + ":" + args[1] + "/postgres?user=eior&sslmode=disable";
    if (args.length > 2 && args[2].equals("cursor")) {
      holdCursor(url);
      return;
    }
    Map<String, Object> out = new LinkedHashMap<>();
    try (Connection conn = DriverManager.getConnection(url)) {
      DatabaseMetaData meta = conn.getMetaData();
      List<Object> schemas = new ArrayList<>();
      try (ResultSet rs = meta.getSchemas()) { while (rs.next()) schemas.add(rs.getString("TABLE_SCHEM")); }
      out.put("schemas", schemas);
      Map<String, Object> tables = new TreeMap<>();
      try (ResultSet rs = meta.getTables(null, "eior", "%", new String[] {"TABLE"})) {
        while (rs.next()) {
          Map<String, Object> t = new LinkedHashMap<>();
          t.put("comment", rs.getString("REMARKS"));
          t.put("columns", new ArrayList<Object>());
          tables.put(rs.getString("TABLE_NAME"), t);
        }
      }
      try (ResultSet rs = meta.getColumns(null, "eior", "%", "%")) {
        while (rs.next()) {
          @SuppressWarnings("unchecked")
          Map<String, Object> t = (Map<String, Object>) tables.get(rs.getString("TABLE_NAME"));
          @SuppressWarnings("unchecked")
          List<Object> cols = (List<Object>) t.get("columns");
          cols.add(Arrays.asList(rs.getString("COLUMN_NAME"), rs.getString("REMARKS")));
        }
      }
      out.put("tables", tables);
      try (PreparedStatement ps = conn.prepareStatement("SELECT count(*) FROM eior.recommendations WHERE dataset = ? AND rank <= ?")) {
        ps.setString(1, "s");
        ps.setInt(2, 2);
        // past prepareThreshold (5) pgjdbc switches to a named server-side statement: run it often enough to get there
        long n = -1;
        for (int i = 0; i < 7; i++) try (ResultSet rs = ps.executeQuery()) { rs.next(); n = rs.getLong(1); }
        out.put("bound", n);
      }
      List<Object> refused = new ArrayList<>();
      for (String sql : new String[] {"INSERT INTO eior.environments (dataset) VALUES ('x')", "UPDATE eior.recommendations SET rating = 0",
          "DELETE FROM eior.model_versions", "CREATE TABLE eior.t (a int)", "SELECT set_config('role', 'postgres', false)"}) {
        try (Statement st = conn.createStatement()) {
          st.execute(sql);
          refused.add(Arrays.asList(sql, null));
        } catch (SQLException e) {
          refused.add(Arrays.asList(sql, e.getSQLState()));
        }
      }
      out.put("refused", refused);
    }
    // DBeaver in manual-commit mode: each connection holds a transaction open while the others query
    List<Connection> held = new ArrayList<>();
    List<Object> answers = new ArrayList<>();
    try {
      for (int i = 0; i < 10; i++) {
        Connection c = DriverManager.getConnection(url);
        c.setAutoCommit(false);
        held.add(c);
      }
      for (int round = 0; round < 2; round++) {
        for (int k = 0; k < held.size(); k++) {
          try (PreparedStatement ps = held.get(k).prepareStatement("SELECT ?::int, count(*) FROM eior.environments")) {
            ps.setInt(1, k);
            try (ResultSet rs = ps.executeQuery()) { rs.next(); answers.add(Arrays.asList(rs.getInt(1), rs.getLong(2))); }
          }
        }
      }
      out.put("held_answers", answers);
      // a fetch size inside a transaction: pgjdbc reads through a portal, 2 rows at a time
      try (Statement st = held.get(0).createStatement()) {
        st.setFetchSize(2);
        List<Object> ranks = new ArrayList<>();
        try (ResultSet rs = st.executeQuery("SELECT rank FROM eior.recommendations WHERE dataset = 's' ORDER BY user_id, rank")) {
          while (rs.next()) ranks.add(rs.getInt(1));
        }
        out.put("fetched", ranks);
      }
      for (Connection c : held) c.commit();
    } catch (SQLException e) {
      out.put("held_error", e.getSQLState() + ": " + e.getMessage());
    } finally {
      for (Connection c : held) c.close();
    }
    System.out.println(json(out));
  }
}
