package io.brook.gateway.http;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.web.util.UriComponentsBuilder;
import tools.jackson.databind.PropertyNamingStrategies;
import tools.jackson.databind.annotation.JsonNaming;

/**
 * The envelope of Confluent REST v3 admin resources: every resource has a {@code kind} and a
 * {@code metadata} with its {@code self} URL and {@code resource_name} (a CRN-like name); lists
 * are {@code {"kind": "KafkaXList", "metadata": {"self": ..., "next": null}, "data": [...]}};
 * links to related collections are {@code {"related": url}}. URLs are absolute, built from the
 * request's own scheme, host and port.
 */
public final class Resources {

    private Resources() {}

    /** A resource's {@code metadata}. */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record Metadata(String self, String resourceName) {}

    /** A list's {@code metadata}; {@code next} is always null (no paging). */
    @JsonInclude(JsonInclude.Include.ALWAYS)
    public record ListMetadata(String self, String next) {}

    /** A link to a related resource or collection. */
    public record Related(String related) {}

    /** A list of resources. */
    public record ResourceList<T>(String kind, ListMetadata metadata, List<T> data) {}

    /** Builds absolute URLs under the request's base URL. */
    public static final class Links {

        private final String base;
        private final String clusterId;

        public Links(ServerHttpRequest request, String clusterId) {
            this.base = UriComponentsBuilder.fromUri(request.getURI())
                    .replacePath(null)
                    .replaceQuery(null)
                    .build()
                    .toUriString();
            this.clusterId = clusterId;
        }

        /** The absolute URL of a path under {@code /v3/clusters/{cluster_id}}. */
        public String url(String path) {
            return base + "/v3/clusters/" + clusterId + path;
        }

        /** {@code /v3/clusters}, absolute. */
        public String clustersUrl() {
            return base + "/v3/clusters";
        }

        public Related related(String path) {
            return new Related(url(path));
        }

        /** A resource's metadata; {@code crn} is the name under the cluster, e.g. {@code topic=orders}. */
        public Metadata metadata(String path, String crn) {
            return new Metadata(url(path), "crn:///kafka=" + clusterId + (crn.isEmpty() ? "" : "/" + crn));
        }

        public <T> ResourceList<T> list(String kind, String path, List<T> data) {
            return new ResourceList<>(kind, new ListMetadata(url(path), null), data);
        }

        public String clusterId() {
            return clusterId;
        }
    }
}
