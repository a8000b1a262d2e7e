package sp.tests.yarn;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.lang.management.ManagementFactory;
import java.net.HttpURLConnection;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.hdfs.HdfsConfiguration;
import org.apache.hadoop.hdfs.MiniDFSCluster;
import org.apache.hadoop.yarn.conf.YarnConfiguration;
import org.apache.hadoop.yarn.server.nodemanager.NodeManager;
import org.apache.hadoop.yarn.server.nodemanager.containermanager.container.Container;
import org.apache.hadoop.yarn.server.nodemanager.containermanager.container.ContainerState;
import org.apache.hadoop.yarn.server.resourcemanager.ResourceManager;

/**
 * A loopback Hadoop for sp's integration tests: HDFS (NameNode and one DataNode,
 * MiniDFSCluster) and a YARN ResourceManager in this JVM, one NodeManager in a
 * child JVM.
 *
 * <pre>
 *   LoopbackHadoop RUN_DIR CONTAINER_HADOOP_JARS_DIR
 *   LoopbackHadoop nodemanager CONF_DIR        (the child; started by the above)
 * </pre>
 *
 * Writes RUN_DIR/conf/{core,hdfs,yarn}-site.xml with the live ports, prints one
 * line {@code READY rm=URL namenode=URL} on stdout when the ResourceManager
 * lists the NodeManager as RUNNING and WebHDFS answers, and stops everything on
 * EOF of stdin. The child also stops on EOF of its stdin, which is a pipe from
 * this JVM, so it never outlives it.
 *
 * <p>The NodeManager runs apart because a NodeManager and a ResourceManager in
 * one JVM share Guice's static servlet filter: the NodeManager's web services
 * take it over and the ResourceManager's /ws/v1/cluster answers 404.
 */
public final class LoopbackHadoop {
  private static final String HOST = "127.0.0.1";
  private static final long READY_TIMEOUT_MS = TimeUnit.MINUTES.toMillis(5);
  private static final long NM_STOP_TIMEOUT_MS = TimeUnit.SECONDS.toMillis(60);

  private final Path runDir;
  private final Path confDir;
  private final Path containerHadoopJars;
  private MiniDFSCluster dfs;
  private ResourceManager rm;
  private Process nodeManager;

  private LoopbackHadoop(Path runDir, Path containerHadoopJars) {
    this.runDir = runDir.toAbsolutePath();
    this.confDir = this.runDir.resolve("conf");
    this.containerHadoopJars = containerHadoopJars.toAbsolutePath();
  }

  public static void main(String[] args) throws Exception {
    if (args.length == 2 && args[0].equals("nodemanager")) {
      runNodeManager(Paths.get(args[1]));
    } else if (args.length == 2) {
      new LoopbackHadoop(Paths.get(args[0]), Paths.get(args[1])).run();
    } else {
      System.err.println("usage: LoopbackHadoop RUN_DIR CONTAINER_HADOOP_JARS_DIR");
      System.exit(2);
    }
  }

  private void run() throws Exception {
    // No shutdown hook: however this JVM ends, the NodeManager sees EOF on
    // its stdin and stops (killing its containers) by itself.
    try {
      start();
    } catch (Exception e) {
      System.err.println("loopback hadoop: start failed: " + e);
      e.printStackTrace();
      System.exit(1);
    }
    // Held open by hadoop.sh; its end is the signal to stop.
    InputStream in = System.in;
    byte[] buf = new byte[256];
    while (in.read(buf) != -1) {
      // Anything written is ignored: only EOF counts.
    }
    System.err.println("loopback hadoop: stdin closed, stopping");
    stop();
    System.exit(0);
  }

  private void start() throws Exception {
    int[] ports = freePorts(10);
    int nnRpc = ports[0], nnHttp = ports[1];
    int rmRpc = ports[2], rmScheduler = ports[3], rmTracker = ports[4], rmAdmin = ports[5];
    int rmWeb = ports[6], nmRpc = ports[7], nmLocalizer = ports[8], nmWeb = ports[9];
    int nmMemoryMb = Integer.getInteger("sp.yarn.nm.memory-mb", 4096);
    int nmVcores = Integer.getInteger("sp.yarn.nm.vcores", 4);

    Files.createDirectories(confDir);
    Map<String, String> core = new LinkedHashMap<>();
    core.put("fs.defaultFS", "hdfs://" + HOST + ":" + nnRpc);
    core.put("hadoop.tmp.dir", runDir.resolve("tmp").toString());
    writeXml("core-site.xml", core);

    Map<String, String> hdfs = new LinkedHashMap<>();
    hdfs.put("dfs.namenode.rpc-address", HOST + ":" + nnRpc);
    hdfs.put("dfs.namenode.http-address", HOST + ":" + nnHttp);
    hdfs.put("dfs.webhdfs.enabled", "true");
    hdfs.put("dfs.replication", "1");
    // Every test client (Flink as root, sp's WebHDFS reads) may write and read anywhere.
    hdfs.put("dfs.permissions.enabled", "false");
    writeXml("hdfs-site.xml", hdfs);

    Map<String, String> yarn = new LinkedHashMap<>();
    yarn.put("yarn.resourcemanager.hostname", HOST);
    yarn.put("yarn.resourcemanager.address", HOST + ":" + rmRpc);
    yarn.put("yarn.resourcemanager.scheduler.address", HOST + ":" + rmScheduler);
    yarn.put("yarn.resourcemanager.resource-tracker.address", HOST + ":" + rmTracker);
    yarn.put("yarn.resourcemanager.admin.address", HOST + ":" + rmAdmin);
    yarn.put("yarn.resourcemanager.webapp.address", HOST + ":" + rmWeb);
    yarn.put("yarn.resourcemanager.scheduler.class",
        "org.apache.hadoop.yarn.server.resourcemanager.scheduler.fifo.FifoScheduler");
    yarn.put("yarn.resourcemanager.recovery.enabled", "false");
    yarn.put("yarn.scheduler.minimum-allocation-mb", "128");
    yarn.put("yarn.scheduler.maximum-allocation-mb", Integer.toString(nmMemoryMb));
    yarn.put("yarn.scheduler.minimum-allocation-vcores", "1");
    yarn.put("yarn.scheduler.maximum-allocation-vcores", Integer.toString(nmVcores));
    yarn.put("yarn.timeline-service.enabled", "false");
    yarn.put("yarn.nodemanager.hostname", HOST);
    yarn.put("yarn.nodemanager.address", HOST + ":" + nmRpc);
    yarn.put("yarn.nodemanager.localizer.address", HOST + ":" + nmLocalizer);
    yarn.put("yarn.nodemanager.webapp.address", HOST + ":" + nmWeb);
    yarn.put("yarn.nodemanager.resource.memory-mb", Integer.toString(nmMemoryMb));
    yarn.put("yarn.nodemanager.resource.cpu-vcores", Integer.toString(nmVcores));
    // Flink's JVMs reserve far more virtual memory than they use.
    yarn.put("yarn.nodemanager.vmem-check-enabled", "false");
    yarn.put("yarn.nodemanager.pmem-check-enabled", "false");
    // A shared test machine's disk may be well filled; the default 90% would
    // mark the only node unhealthy and leave every application ACCEPTED.
    yarn.put("yarn.nodemanager.disk-health-checker.max-disk-utilization-per-disk-percentage", "99.9");
    yarn.put("yarn.nodemanager.local-dirs", runDir.resolve("nm/local").toString());
    yarn.put("yarn.nodemanager.log-dirs", runDir.resolve("nm/logs").toString());
    // Containers find Hadoop through this: there is no Hadoop installation
    // whose $HADOOP_*_HOME the default would name. The conf dir gives Flink's
    // ApplicationMaster the ResourceManager's scheduler address.
    yarn.put("yarn.application.classpath", confDir + "," + containerHadoopJars + "/*");
    writeXml("yarn-site.xml", yarn);

    HdfsConfiguration dfsConf = new HdfsConfiguration(loadConf(confDir));
    dfsConf.set("dfs.namenode.safemode.extension", "0");
    dfs = new MiniDFSCluster.Builder(dfsConf, runDir.resolve("hdfs").toFile())
        .nameNodePort(nnRpc)
        .nameNodeHttpPort(nnHttp)
        .numDataNodes(1)
        .format(true)
        .build();
    dfs.waitActive();

    rm = new ResourceManager();
    rm.init(new YarnConfiguration(loadConf(confDir)));
    rm.start();

    nodeManager = startNodeManager();
    String rmUrl = "http://" + HOST + ":" + rmWeb;
    String nnUrl = "http://" + HOST + ":" + nnHttp;
    waitUntilReady(rmUrl, nnUrl);
    System.out.println("READY rm=" + rmUrl + " namenode=" + nnUrl);
    System.out.flush();
  }

  private Process startNodeManager() throws IOException {
    Path logs = Files.createDirectories(runDir.resolve("log"));
    Path pids = Files.createDirectories(runDir.resolve("pids"));
    List<String> cmd = new ArrayList<>();
    cmd.add(Paths.get(System.getProperty("java.home"), "bin", "java").toString());
    cmd.add("-Xmx" + System.getProperty("sp.yarn.nm.heap", "384m"));
    // Same module openings as this JVM (Guice and Hadoop's reflection need them on 17).
    for (String arg : ManagementFactory.getRuntimeMXBean().getInputArguments()) {
      if (arg.startsWith("--add-opens") || arg.startsWith("--add-exports")) {
        cmd.add(arg);
      }
    }
    cmd.add("-cp");
    cmd.add(System.getProperty("java.class.path"));
    cmd.add(LoopbackHadoop.class.getName());
    cmd.add("nodemanager");
    cmd.add(confDir.toString());
    ProcessBuilder pb = new ProcessBuilder(cmd);
    pb.redirectErrorStream(true);
    pb.redirectOutput(logs.resolve("nodemanager.log").toFile());
    Map<String, String> env = pb.environment();
    // Flink starts its containers with $JAVA_HOME/bin/java, which the
    // NodeManager passes on from its own environment.
    env.put("JAVA_HOME", System.getProperty("java.home"));
    Process p = pb.start();
    Files.writeString(pids.resolve("nodemanager.pid"), p.pid() + "\n");
    return p;
  }

  private void waitUntilReady(String rmUrl, String nnUrl) throws Exception {
    ObjectMapper json = new ObjectMapper();
    long deadline = System.currentTimeMillis() + READY_TIMEOUT_MS;
    String last = "no answer yet";
    while (System.currentTimeMillis() < deadline) {
      if (!nodeManager.isAlive()) {
        throw new IOException("the NodeManager exited with " + nodeManager.exitValue()
            + " (see " + runDir.resolve("log/nodemanager.log") + ")");
      }
      try {
        // The REST answer, not the scheduler's state: it proves the web
        // services are the ResourceManager's and that they give valid JSON.
        JsonNode nodes = json.readTree(get(rmUrl + "/ws/v1/cluster/nodes")).path("nodes").path("node");
        boolean running = false;
        for (JsonNode n : nodes) {
          running |= "RUNNING".equals(n.path("state").asText());
        }
        if (running) {
          String user = System.getProperty("user.name");
          json.readTree(get(nnUrl + "/webhdfs/v1/?op=LISTSTATUS&user.name=" + user));
          return;
        }
        last = "no RUNNING NodeManager in " + nodes;
      } catch (IOException e) {
        last = e.toString();
      }
      Thread.sleep(500);
    }
    throw new IOException("not ready within " + READY_TIMEOUT_MS / 1000 + " s: " + last);
  }

  private static String get(String url) throws IOException {
    HttpURLConnection c = (HttpURLConnection) new URL(url).openConnection();
    c.setConnectTimeout(5000);
    c.setReadTimeout(10000);
    c.setRequestProperty("Accept", "application/json");
    try (InputStream in = c.getInputStream()) {
      if (c.getResponseCode() != 200) {
        throw new IOException(url + " answered " + c.getResponseCode());
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } finally {
      c.disconnect();
    }
  }

  private void stop() {
    if (nodeManager != null) {
      try {
        nodeManager.getOutputStream().close();
        if (!nodeManager.waitFor(NM_STOP_TIMEOUT_MS, TimeUnit.MILLISECONDS)) {
          System.err.println("loopback hadoop: the NodeManager did not stop in time; killing it");
          nodeManager.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
      } catch (IOException | InterruptedException e) {
        nodeManager.destroyForcibly();
      }
      nodeManager = null;
    }
    if (rm != null) {
      rm.stop();
      rm = null;
    }
    if (dfs != null) {
      dfs.shutdown();
      dfs = null;
    }
  }

  private static void runNodeManager(Path confDir) throws Exception {
    NodeManager nm = new NodeManager();
    nm.init(new YarnConfiguration(loadConf(confDir)));
    nm.start();
    InputStream in = System.in;
    byte[] buf = new byte[256];
    while (in.read(buf) != -1) {
      // Only EOF counts: the parent closed the pipe or died.
    }
    // nm.stop() kills the containers (recovery is off) within a second or
    // two, then spends some 17 s on what matters only to a NodeManager that
    // lives on: it waits for the finished applications whose logs it keeps
    // (yarn.nodemanager.log.retain-seconds) and for its log-deletion
    // scheduler. So exit once every container is DONE, i.e. its process has
    // exited; hadoop.sh stop ends any container process left all the same.
    Thread stopper = new Thread(nm::stop, "nodemanager-stop");
    stopper.setDaemon(true);
    stopper.start();
    long deadline = System.currentTimeMillis() + NM_STOP_TIMEOUT_MS / 2;
    while (stopper.isAlive() && System.currentTimeMillis() < deadline && !allContainersDone(nm)) {
      Thread.sleep(200);
    }
    // The SIGKILL that follows a container's SIGTERM comes 250 ms later.
    Thread.sleep(1000);
    System.exit(0);
  }

  private static boolean allContainersDone(NodeManager nm) {
    for (Container c : nm.getNMContext().getContainers().values()) {
      if (c.getContainerState() != ContainerState.DONE) {
        return false;
      }
    }
    return true;
  }

  private static Configuration loadConf(Path confDir) {
    Configuration conf = new Configuration();
    for (String f : new String[] {"core-site.xml", "hdfs-site.xml", "yarn-site.xml"}) {
      conf.addResource(new org.apache.hadoop.fs.Path(confDir.resolve(f).toUri()));
    }
    return conf;
  }

  /**
   * Only the keys given, not a dump of a Configuration: a dump carries every
   * default of every resource loaded, and a client reading all three files
   * (Flink's) would take YARN's defaults from hdfs-site.xml over yarn-site.xml.
   */
  private void writeXml(String name, Map<String, String> props) throws IOException {
    StringBuilder xml = new StringBuilder("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n")
        .append("<!-- Written by tests/yarn/hadoop.sh (LoopbackHadoop) for this run. -->\n")
        .append("<configuration>\n");
    for (Map.Entry<String, String> e : props.entrySet()) {
      xml.append("  <property><name>").append(e.getKey()).append("</name><value>")
          .append(escapeXml(e.getValue())).append("</value></property>\n");
    }
    xml.append("</configuration>\n");
    Path tmp = confDir.resolve(name + ".tmp");
    Files.writeString(tmp, xml);
    Files.move(tmp, confDir.resolve(name), StandardCopyOption.ATOMIC_MOVE);
  }

  private static String escapeXml(String s) {
    return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
  }

  /** Distinct free loopback ports: all held open at once, then released together. */
  private static int[] freePorts(int n) throws IOException {
    List<ServerSocket> held = new ArrayList<>();
    try {
      int[] ports = new int[n];
      for (int i = 0; i < n; i++) {
        ServerSocket s = new ServerSocket(0, 1, InetAddress.getByName(HOST));
        held.add(s);
        ports[i] = s.getLocalPort();
      }
      return ports;
    } finally {
      for (ServerSocket s : held) {
        s.close();
      }
    }
  }
}
