import java.lang.reflect.Field;
import org.eclipse.jetty.server.Connector;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import software.amazon.dynamodb.services.local.main.ServerRunner;
import software.amazon.dynamodb.services.local.server.DynamoDBProxyServer;

/**
 * Starts DynamoDB Local listening on the loopback interface only.
 *
 * DynamoDBLocal.jar has no bind-address option: its server opens a Jetty connector on every
 * interface, so anyone who reaches the machine's port could read and write the whole table.
 * This launcher builds the same server from the same command-line options, sets the host of its
 * Jetty connector to 127.0.0.1 before it opens, and then starts it. It runs in Java's
 * single-file source mode (`java dynamodb-local-loopback.java ...`), so nothing is compiled or
 * shipped in binary form. It refuses to start if the jar's internals ever change shape, rather
 * than silently listening everywhere again.
 */
public class DynamoDbLocalLoopback {
  static final String HOST = "127.0.0.1";

  public static void main(String[] args) throws Exception {
    DynamoDBProxyServer proxy = ServerRunner.createServerFromCommandLineArgs(args);
    Field field = DynamoDBProxyServer.class.getDeclaredField("server");
    field.setAccessible(true);
    Server server = (Server) field.get(proxy);
    Connector[] connectors = server.getConnectors();
    if (connectors.length == 0) throw new IllegalStateException("DynamoDB Local has no connector to bind");
    for (Connector connector : connectors) {
      if (!(connector instanceof ServerConnector)) {
        throw new IllegalStateException("Unexpected DynamoDB Local connector: " + connector.getClass().getName());
      }
      ((ServerConnector) connector).setHost(HOST);
    }
    proxy.start();
    for (Connector connector : connectors) {
      String host = ((ServerConnector) connector).getHost();
      if (!HOST.equals(host)) throw new IllegalStateException("DynamoDB Local is not bound to " + HOST);
    }
  }
}
