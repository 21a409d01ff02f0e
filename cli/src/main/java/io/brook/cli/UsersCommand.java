package io.brook.cli;

import java.io.BufferedReader;
import java.io.Console;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ScramCredentialInfo;
import org.apache.kafka.clients.admin.ScramMechanism;
import org.apache.kafka.clients.admin.UserScramCredentialAlteration;
import org.apache.kafka.clients.admin.UserScramCredentialDeletion;
import org.apache.kafka.clients.admin.UserScramCredentialUpsertion;
import org.apache.kafka.clients.admin.UserScramCredentialsDescription;
import org.apache.kafka.common.errors.ResourceNotFoundException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;

/**
 * {@code brook users list | create | delete | set-password}: SCRAM users, on
 * DescribeUserScramCredentials and AlterUserScramCredentials ({@code kafka-configs.sh --alter
 * --entity-type users --add-config SCRAM-SHA-512=[password=...]} without the password on the
 * command line).
 *
 * <p>The password comes from {@code --password-file} (its first line), else from a prompt when a
 * terminal is attached (asked twice, not echoed), else from the first line of standard input. It
 * is never an option value, never printed and never in an error; the client salts and hashes it
 * before it leaves the process (the request carries the salted password, Kafka's KIP-554).
 */
@Command(
        name = "users",
        description = "SCRAM users: list, create, delete, set a password.",
        mixinStandardHelpOptions = true,
        subcommands = {
            UsersCommand.ListUsers.class,
            UsersCommand.Create.class,
            UsersCommand.Delete.class,
            UsersCommand.SetPassword.class
        })
final class UsersCommand {

    /** Kafka's default, and the fewest it accepts. */
    static final int DEFAULT_ITERATIONS = 4096;

    record Credential(String mechanism, int iterations) {}

    record User(String user, List<Credential> credentials) {}

    @Command(
            name = "list",
            aliases = "ls",
            description = "Users with SCRAM credentials, with mechanisms and iterations.",
            mixinStandardHelpOptions = true)
    static final class ListUsers extends ClusterCommand {

        @Override
        int run() throws Exception {
            Map<String, UserScramCredentialsDescription> described;
            try (Admin admin = admin()) {
                described = get(admin.describeUserScramCredentials().all());
            }
            List<User> users = described.values().stream()
                    .sorted(Comparator.comparing(UserScramCredentialsDescription::name))
                    .map(d -> new User(
                            d.name(),
                            d.credentialInfos().stream()
                                    .map(c -> new Credential(c.mechanism().mechanismName(), c.iterations()))
                                    .sorted(Comparator.comparing(Credential::mechanism))
                                    .toList()))
                    .toList();
            if (json()) {
                Output.printJson(out(), users);
            } else {
                Output.Table table = new Output.Table("USER", "MECHANISM", "ITERATIONS");
                users.forEach(u -> u.credentials().forEach(c -> table.row(u.user(), c.mechanism(), c.iterations())));
                table.print(out());
            }
            return 0;
        }
    }

    /** A command that sets a password: the mechanisms, the iterations and where the password comes from. */
    abstract static class PasswordCommand extends ClusterCommand {

        @Parameters(paramLabel = "USER", description = "The user name (the principal is User:<name>).")
        String user;

        @Option(
                names = {"-m", "--mechanism"},
                paramLabel = "MECHANISM",
                description = "SCRAM-SHA-256 or SCRAM-SHA-512; repeatable (default: both).")
        List<String> mechanisms = new ArrayList<>();

        @Option(
                names = "--iterations",
                paramLabel = "N",
                description = "SCRAM iterations (default " + DEFAULT_ITERATIONS + ").")
        int iterations = DEFAULT_ITERATIONS;

        @Option(
                names = "--password-file",
                paramLabel = "FILE",
                description = "Read the password from the first line of FILE (else a prompt, or standard input).")
        Path passwordFile;

        abstract boolean mustExist();

        @Override
        int run() throws Exception {
            List<ScramMechanism> chosen = mechanisms(spec.commandLine(), mechanisms);
            String password = password();
            try (Admin admin = admin()) {
                boolean exists = exists(admin, user);
                if (mustExist() && !exists) {
                    throw new CliException("user '" + user + "' does not exist");
                }
                if (!mustExist() && exists) {
                    throw new CliException("user '" + user + "' exists already; use 'brook users set-password'");
                }
                for (ScramMechanism mechanism : chosen) {
                    alter(
                            admin,
                            new UserScramCredentialUpsertion(
                                    user, new ScramCredentialInfo(mechanism, iterations), password));
                }
            }
            User done = new User(
                    user,
                    chosen.stream()
                            .map(m -> new Credential(m.mechanismName(), iterations))
                            .toList());
            if (json()) {
                Output.printJson(out(), done);
            } else {
                out().println((mustExist() ? "Set the password of user " : "Created user ") + user + " ("
                        + String.join(
                                ", ",
                                done.credentials().stream()
                                        .map(Credential::mechanism)
                                        .toList()) + ")");
                out().flush();
            }
            return 0;
        }

        private String password() throws IOException {
            String password;
            if (passwordFile != null) {
                if (!Files.isRegularFile(passwordFile)) {
                    throw new ParameterException(spec.commandLine(), "--password-file: no such file: " + passwordFile);
                }
                List<String> lines = Files.readAllLines(passwordFile, StandardCharsets.UTF_8);
                password = lines.isEmpty() ? "" : lines.get(0);
            } else if (root().in() == System.in && System.console() != null) {
                Console console = System.console();
                char[] first = console.readPassword("Password for %s: ", user);
                char[] second = console.readPassword("Again: ");
                if (first == null || second == null || !Arrays.equals(first, second)) {
                    throw new CliException("the passwords differ");
                }
                password = new String(first);
            } else {
                String line = new BufferedReader(new InputStreamReader(root().in(), StandardCharsets.UTF_8)).readLine();
                password = line == null ? "" : line;
            }
            if (password.isEmpty()) {
                throw new CliException("the password is empty");
            }
            return password;
        }
    }

    @Command(
            name = "create",
            description = "Create a user with a password (SCRAM credentials).",
            mixinStandardHelpOptions = true)
    static final class Create extends PasswordCommand {
        @Override
        boolean mustExist() {
            return false;
        }
    }

    @Command(name = "set-password", description = "Change a user's password.", mixinStandardHelpOptions = true)
    static final class SetPassword extends PasswordCommand {
        @Override
        boolean mustExist() {
            return true;
        }
    }

    @Command(
            name = "delete",
            description = "Delete a user's SCRAM credentials (all, or --mechanism's).",
            mixinStandardHelpOptions = true)
    static final class Delete extends ClusterCommand {

        @Parameters(paramLabel = "USER", description = "The user name.")
        String user;

        @Option(
                names = {"-m", "--mechanism"},
                paramLabel = "MECHANISM",
                description = "Only this mechanism's credential; repeatable.")
        List<String> mechanisms = new ArrayList<>();

        @Override
        int run() throws Exception {
            List<ScramMechanism> chosen;
            try (Admin admin = admin()) {
                if (mechanisms.isEmpty()) {
                    UserScramCredentialsDescription described = describe(admin, user);
                    if (described == null) {
                        throw new CliException("user '" + user + "' does not exist");
                    }
                    chosen = described.credentialInfos().stream()
                            .map(ScramCredentialInfo::mechanism)
                            .toList();
                } else {
                    chosen = mechanisms(spec.commandLine(), mechanisms);
                }
                for (ScramMechanism mechanism : chosen) {
                    alter(admin, new UserScramCredentialDeletion(user, mechanism));
                }
            }
            User deleted = new User(
                    user,
                    chosen.stream()
                            .map(m -> new Credential(m.mechanismName(), 0))
                            .toList());
            if (json()) {
                Output.printJson(out(), deleted);
            } else {
                out().println("Deleted user " + user + " ("
                        + String.join(
                                ", ",
                                chosen.stream()
                                        .map(ScramMechanism::mechanismName)
                                        .toList()) + ")");
                out().flush();
            }
            return 0;
        }
    }

    static List<ScramMechanism> mechanisms(picocli.CommandLine commandLine, List<String> names) {
        if (names.isEmpty()) {
            return List.of(ScramMechanism.SCRAM_SHA_256, ScramMechanism.SCRAM_SHA_512);
        }
        List<ScramMechanism> mechanisms = new ArrayList<>();
        for (String name : names) {
            ScramMechanism mechanism = ScramMechanism.fromMechanismName(name.toUpperCase(java.util.Locale.ROOT));
            if (mechanism == ScramMechanism.UNKNOWN) {
                throw new ParameterException(commandLine, "--mechanism " + name + ": SCRAM-SHA-256 or SCRAM-SHA-512");
            }
            mechanisms.add(mechanism);
        }
        return mechanisms;
    }

    /**
     * One alteration per request: Kafka refuses a request that alters a user twice
     * (DUPLICATE_RESOURCE), even for two mechanisms.
     */
    static void alter(Admin admin, UserScramCredentialAlteration alteration) throws Exception {
        ClusterCommand.get(admin.alterUserScramCredentials(List.of(alteration)).all());
    }

    static boolean exists(Admin admin, String user) throws Exception {
        return describe(admin, user) != null;
    }

    /** The user's credentials, or null when it has none (RESOURCE_NOT_FOUND). */
    static UserScramCredentialsDescription describe(Admin admin, String user) throws Exception {
        try {
            return ClusterCommand.get(
                    admin.describeUserScramCredentials(List.of(user)).description(user));
        } catch (ExecutionException e) {
            if (e.getCause() instanceof ResourceNotFoundException) {
                return null;
            }
            throw e;
        }
    }
}
