package io.brook.deploy;

import static io.brook.deploy.DeployFiles.cast;
import static io.brook.deploy.DeployFiles.docker;
import static io.brook.deploy.DeployFiles.map;
import static io.brook.deploy.DeployFiles.read;
import static io.brook.deploy.DeployFiles.root;
import static io.brook.deploy.DeployFiles.yaml;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The two Dockerfiles, read with {@link Dockerfile} since no Docker engine is here to build them
 * ({@link DockerImagesIT} builds and runs them where one is): a JDK build stage that runs the
 * project's Maven wrapper for its module and copies the jar that module's pom really produces, a
 * JRE runtime stage with a non-root user, a health check on the actuator, the JVM's heap sized
 * from the container's memory limit, and environment variables that bind to real Spring
 * properties. Also the root {@code .dockerignore}, the images' build context.
 */
class DockerfilesTest {

    /** A top-level field of a {@code @ConfigurationProperties} class: one property. */
    private static final Pattern PROPERTY_FIELD =
            Pattern.compile("^    private (?:final )?[\\w<>, ?]+ (\\w+)(?: =|;)", Pattern.MULTILINE);

    /**
     * Broker properties the compose file sets for the listeners of the security issue (Kafka's
     * listeners, advertised.listeners, listener.security.protocol.map,
     * inter.broker.listener.name), built at the same time; a broker without them ignores them and
     * serves its one port. Once they are in BrokerProperties they are checked like the others.
     */
    static Stream<Arguments> images() {
        return Stream.of(
                Arguments.of("broker", "broker-service", List.of("9092", "8090"), 8090),
                Arguments.of("gateway", "gateway-service", List.of("8080"), 8080));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("images")
    void buildsTheModuleWithTheMavenWrapperOnAJdk17AndCopiesItsExecutableJar(
            String image, String module, List<String> ports, int httpPort) {
        Dockerfile dockerfile = dockerfile(image);
        Dockerfile.Stage build = dockerfile.first();

        assertThat(dockerfile.stages()).hasSize(2);
        assertThat(build.image()).isEqualTo("eclipse-temurin:17-jdk");
        assertThat(build.name()).isEqualTo("build");
        assertThat(build.all("RUN"))
                .anySatisfy(run -> assertThat(run).contains("./mvnw -B -pl " + module + " -am package -DskipTests"))
                .anySatisfy(run -> assertThat(run).contains("cp " + module + "/target/" + module + "-*-exec.jar"));
        // The jar name in the glob is what the module's pom makes: artifactId-version-exec.jar.
        String pom = read(root().resolve(module).resolve("pom.xml"));
        assertThat(pom).contains("<artifactId>" + module + "</artifactId>").contains("<classifier>exec</classifier>");
        // The context's files that the build needs are there and not ignored.
        assertThat(build.all("COPY")).contains("mvnw ./", ".mvn .mvn", ". .");
        assertThat(root().resolve(".mvn/wrapper/maven-wrapper.properties")).isRegularFile();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("images")
    void runsOnAJreAsANonRootUserWithAHealthCheckAndHeapFromTheMemoryLimit(
            String image, String module, List<String> ports, int httpPort) {
        Dockerfile.Stage runtime = dockerfile(image).last();

        assertThat(runtime.image()).isEqualTo("eclipse-temurin:17-jre");
        assertThat(runtime.all("COPY")).anySatisfy(copy -> assertThat(copy).startsWith("--from=build "));

        String user = runtime.last("USER").orElseThrow(() -> new AssertionError("no USER"));
        assertThat(user.split(":")[0]).isNotIn("root", "0").matches("[0-9]+");
        assertThat(runtime.all("RUN"))
                .anySatisfy(run -> assertThat(run).contains("useradd").contains("--uid " + user.split(":")[0]));

        String healthcheck = runtime.last("HEALTHCHECK").orElseThrow(() -> new AssertionError("no HEALTHCHECK"));
        assertThat(healthcheck)
                .contains("CMD curl -fsS")
                .contains("http://127.0.0.1:" + httpPort + "/actuator/health/readiness");
        assertThat(runtime.all("RUN"))
                .anySatisfy(run -> assertThat(run).contains("apt-get install").contains("curl"));

        assertThat(runtime.all("EXPOSE")).containsExactly(String.join(" ", ports));
        assertThat(runtime.env().get("JAVA_TOOL_OPTIONS")).contains("-XX:MaxRAMPercentage=");
        // Exec form: java is PID 1 and receives SIGTERM (the broker's controlled shutdown).
        assertThat(runtime.last("ENTRYPOINT"))
                .hasValueSatisfying(entrypoint ->
                        assertThat(entrypoint).startsWith("[\"java\", ").endsWith(".jar\"]"));
    }

    @Test
    void brokerKeepsItsDataInAVolumeAndTakesItsIdAndAddressFromTheEnvironment() {
        Dockerfile.Stage runtime = dockerfile("broker").last();
        Map<String, String> env = runtime.env();

        assertThat(runtime.all("VOLUME")).containsExactly("/var/lib/brook");
        assertThat(env.get("BROOK_BROKER_DATADIR")).startsWith("/var/lib/brook/");
        assertThat(env.get("BROOK_ZOOKEEPER_EMBEDDEDDATADIR")).startsWith("/var/lib/brook/");
        assertThat(env).containsKeys("BROOK_BROKER_ID", "BROOK_BROKER_ADVERTISEDHOST");
        assertThat(runtime.all("RUN")).anySatisfy(run -> assertThat(run).contains("chown brook:brook /var/lib/brook"));
    }

    /**
     * Spring's relaxed binding turns {@code brook.broker.advertised-host} into {@code
     * BROOK_BROKER_ADVERTISEDHOST}: dots become underscores and dashes are dropped, so a variable
     * spelt {@code BROOK_BROKER_DATA_DIR} would silently bind to nothing. Every {@code BROOK_*}
     * variable of the images and the compose file must name a field of the properties class.
     */
    @Test
    void environmentVariablesBindToRealSpringProperties() {
        Map<String, Set<String>> properties = new LinkedHashMap<>();
        properties.put("BROOK_BROKER_", fields("broker-service", "io/brook/broker/config/BrokerProperties.java"));
        properties.put("BROOK_ZOOKEEPER_", fields("broker-service", "io/brook/broker/config/ZooKeeperProperties.java"));
        properties.put("BROOK_GATEWAY_", fields("gateway-service", "io/brook/gateway/config/GatewayProperties.java"));
        // brook.broker.* is bound by two classes: the broker's settings and its listeners'.
        Set<String> brokerProperties = new TreeSet<>(properties.get("BROOK_BROKER_"));
        brokerProperties.addAll(fields("broker-service", "io/brook/broker/config/ListenerProperties.java"));

        List<String> names = new ArrayList<>();
        names.addAll(dockerfile("broker").last().env().keySet());
        names.addAll(dockerfile("gateway").last().env().keySet());
        Map<String, Object> compose = yaml(read(docker("docker-compose.yml")));
        names.addAll(map(compose.get("x-broker-env")).keySet());
        map(compose.get("services")).forEach((service, definition) -> {
            Object environment = cast(definition).get("environment");
            if (environment instanceof Map<?, ?> vars) {
                vars.keySet().forEach(name -> names.add(name.toString()));
            }
        });

        List<String> brook = names.stream().filter(n -> n.startsWith("BROOK_")).toList();
        assertThat(brook).hasSizeGreaterThan(8);
        for (String name : brook) {
            String prefix = properties.keySet().stream()
                    .filter(name::startsWith)
                    .findFirst()
                    .orElseThrow(() -> new AssertionError(name + " has no properties class"));
            String property = name.substring(prefix.length()).toLowerCase(Locale.ROOT);
            Set<String> known = prefix.equals("BROOK_BROKER_") ? brokerProperties : properties.get(prefix);
            assertThat(known).as(name).contains(property);
        }
    }

    @Test
    void dockerignoreKeepsBuildOutputAndGitOutButNoModule() {
        List<String> patterns = read(root().resolve(".dockerignore"))
                .lines()
                .map(String::strip)
                .filter(l -> !l.isEmpty() && !l.startsWith("#"))
                .toList();

        assertThat(patterns).contains(".git", "**/target");
        Matcher module = Pattern.compile("<module>([^<]+)</module>").matcher(read(root().resolve("pom.xml")));
        List<String> modules = new ArrayList<>();
        while (module.find()) {
            modules.add(module.group(1));
        }
        assertThat(modules).contains("broker-service", "gateway-service", "cluster-core");
        for (String m : modules) {
            assertThat(Files.isDirectory(root().resolve(m))).as(m).isTrue();
            assertThat(patterns).as("the reactor needs every module's pom").doesNotContain(m, m + "/", "/" + m);
        }
        assertThat(patterns).doesNotContain("mvnw", ".mvn", "*");
    }

    private static Dockerfile dockerfile(String image) {
        Path file = docker(image).resolve("Dockerfile");
        return Dockerfile.parse(read(file));
    }

    private static Set<String> fields(String module, String source) {
        String text = read(root().resolve(module).resolve("src/main/java").resolve(source));
        Set<String> fields = new TreeSet<>();
        Matcher m = PROPERTY_FIELD.matcher(text);
        while (m.find()) {
            fields.add(m.group(1).toLowerCase(Locale.ROOT));
        }
        assertThat(fields).as(source).isNotEmpty();
        return fields;
    }
}
