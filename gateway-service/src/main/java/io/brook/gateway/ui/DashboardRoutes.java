package io.brook.gateway.ui;

import static org.springframework.web.reactive.function.server.RequestPredicates.GET;
import static org.springframework.web.reactive.function.server.RouterFunctions.route;

import java.net.URI;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.io.ClassPathResource;
import org.springframework.core.io.Resource;
import org.springframework.http.CacheControl;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.web.reactive.function.server.RequestPredicate;
import org.springframework.web.reactive.function.server.RouterFunction;
import org.springframework.web.reactive.function.server.ServerResponse;

/**
 * The browser dashboard at {@code /ui/}: its files come from the {@code admin-ui} jar, as {@code
 * META-INF/resources/ui/**} on the classpath, which Spring's static resource handling serves as
 * they are ({@code /ui/assets/index-<hash>.js}). The dashboard routes in the browser (History API),
 * so every other {@code /ui/**} address ({@code /ui/topics/orders/messages}) answers its {@code
 * index.html}, and a reload or a shared link opens the same page. {@code /ui} redirects to {@code
 * /ui/} so that the page's relative asset paths resolve.
 *
 * <p>{@code index.html} is sent with {@code no-cache} (revalidated each time: a new build is seen
 * at once); the hashed assets may be cached by the browser. With security on, {@code /ui} and
 * {@code /ui/**} are among the open paths: the files hold no data, and every API call the page
 * makes carries the user's token.
 *
 * <p>Built without the dashboard ({@code -Dskip.ui}), {@code /ui/} answers 404 with a note.
 *
 * <p>Thread-safety: the routes are stateless but for a cache of which paths are files, a
 * concurrent map bounded by the number of files in the jar.
 */
@Configuration(proxyBeanMethods = false)
public class DashboardRoutes {

    static final String BASE = "/ui/";
    private static final String LOCATION = "META-INF/resources/ui/";

    private final Resource index = new ClassPathResource(LOCATION + "index.html");
    private final ConcurrentMap<String, Boolean> files = new ConcurrentHashMap<>();

    @Bean
    RouterFunction<ServerResponse> dashboardRouter() {
        return route(
                        GET("/ui"),
                        request -> ServerResponse.status(HttpStatus.FOUND)
                                .location(URI.create(BASE))
                                .build())
                .andRoute(GET("/ui/**").and(notAFile()), request -> index());
    }

    private RequestPredicate notAFile() {
        return request -> {
            String path = request.path().substring(BASE.length());
            return path.isEmpty() || path.endsWith("/") || !isFile(path);
        };
    }

    private boolean isFile(String relative) {
        if (relative.contains("..")) {
            return false;
        }
        return files.computeIfAbsent(relative, p -> {
                    // Only what the build put there counts; unknown addresses are the app's routes,
                    // and are not remembered (so that the map cannot grow with arbitrary paths).
                    return new ClassPathResource(LOCATION + p).isReadable();
                })
                || forget(relative);
    }

    private boolean forget(String relative) {
        files.remove(relative);
        return false;
    }

    private reactor.core.publisher.Mono<ServerResponse> index() {
        if (!index.isReadable()) {
            return ServerResponse.status(HttpStatus.NOT_FOUND)
                    .contentType(MediaType.TEXT_PLAIN)
                    .bodyValue("The dashboard was not built into this gateway (built with -Dskip.ui).\n");
        }
        return ServerResponse.ok()
                .contentType(MediaType.TEXT_HTML)
                .cacheControl(CacheControl.noCache())
                .bodyValue(index);
    }
}
