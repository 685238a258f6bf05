// The pgjdbc oracle: connects with each JDBC URL given as an argument (one JVM for many URLs) and prints one line
// per URL: "OK t <version> <cipher>" / "OK f" (pg_stat_ssl of the session) or "FAIL <SQLState> <message>". Run as a single-file
// source program: java -cp /usr/share/java/postgresql.jar -Duser.home=<home> Probe.java <url>...
// With --verify-host-name host1 pattern1 host2 pattern2 ... it prints PGjdbcHostnameVerifier.verifyHostName's
// true/false for each pair instead.
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import org.postgresql.ssl.PGjdbcHostnameVerifier;

public class Probe {
  public static void main(String[] args) {
    if (args.length > 0 && args[0].equals("--verify-host-name")) {
      for (int i = 1; i + 1 < args.length; i += 2) {
        System.out.println(PGjdbcHostnameVerifier.INSTANCE.verifyHostName(args[i], args[i + 1]));
      }
      return;
    }
    for (String url : args) {
      System.out.println(probe(url));
    }
  }

  private static String probe(String url) {
    try (Connection connection = DriverManager.getConnection(url);
         Statement statement = connection.createStatement();
         ResultSet rows = statement.executeQuery("select ssl, coalesce(version, ''), coalesce(cipher, '') from pg_stat_ssl where pid = pg_backend_pid()")) {
      rows.next();
      return rows.getBoolean(1) ? "OK t " + rows.getString(2) + " " + rows.getString(3) : "OK f";
    } catch (SQLException e) {
      String message = String.valueOf(e.getMessage()).replace('\n', ' ').replace('\r', ' ');
      return "FAIL " + e.getSQLState() + " " + message;
    } catch (RuntimeException e) {
      return "FAIL exception " + e.getClass().getSimpleName() + " " + e.getMessage();
    }
  }
}
