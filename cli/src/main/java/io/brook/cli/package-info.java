/**
 * The {@code brook} command line: cluster, brokers, topics, consumer groups, produce and consume,
 * ACLs, SCRAM users and partition reassignment, in the style of {@code rpk} and the Kafka tools.
 *
 * <p>It is a client of the brokers and nothing else: every command talks the Kafka protocol
 * through kafka-clients' {@code Admin}, {@code KafkaProducer} and {@code KafkaConsumer}, never
 * ZooKeeper, so it works against any Kafka-compatible cluster and through the brokers' own
 * authentication and ACLs. Commands and their help, option parsing and shell completion are
 * picocli's.
 *
 * <p>Contracts every command keeps:
 *
 * <table>
 *   <caption>Output and exit status</caption>
 *   <tr><th>what</th><th>rule</th></tr>
 *   <tr><td>connection</td><td>Kafka's client properties, from the Brook config file ({@code
 *       BROOK_CONFIG}, else {@code $XDG_CONFIG_HOME/brook/config.properties} or {@code
 *       ~/.config/brook/config.properties}), then {@code --command-config FILE}, then {@code
 *       --bootstrap-server}; the bootstrap address defaults to {@code localhost:9092}
 *       ({@link io.brook.cli.ClientOptions})</td></tr>
 *   <tr><td>stdout</td><td>a human table, or with {@code --output json} one JSON document with
 *       snake_case field names ({@code consume} writes one JSON object per record and line)</td></tr>
 *   <tr><td>stderr</td><td>an error as one line, {@code brook <command>: <message>}; the stack
 *       trace and the clients' warnings only with {@code --verbose}</td></tr>
 *   <tr><td>exit status</td><td>0 done, 1 the cluster refused or failed (or did not answer), 2
 *       bad usage</td></tr>
 * </table>
 *
 * <p>Passwords (for {@code brook users}) come from a file, standard input or a prompt; they are
 * never taken as an option's value, printed or put in an error message.
 */
package io.brook.cli;
