package io.brook.gateway.error;

import java.net.URI;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.core.codec.DecodingException;
import org.springframework.core.io.buffer.DataBufferLimitException;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.ErrorResponse;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.ServerWebInputException;
import reactor.core.publisher.Mono;

/**
 * Every error of the HTTP API as {@code application/problem+json} (RFC 9457, Spring's {@link
 * ProblemDetail}): {@code type}, {@code title}, {@code status}, {@code detail}, {@code instance},
 * plus {@code error_code}, the gateway's {@link ErrorCode}.
 *
 * <p>Spring's own request errors (unsupported content type, missing parameter, unknown path,
 * wrong method) keep Spring's status and get the generic code of that status; a body that is not
 * JSON gets 40001; a body past {@code brook.gateway.limits.max-body-size} gets 413 (41302); Kafka
 * and gateway failures are mapped by {@link KafkaErrors}.
 */
@RestControllerAdvice
public class ProblemDetailsAdvice
        extends org.springframework.web.reactive.result.method.annotation.ResponseEntityExceptionHandler {

    private static final Logger LOG = LoggerFactory.getLogger(ProblemDetailsAdvice.class);

    /** The problem's {@code type}: the code's documentation. */
    static final String TYPE_BASE = "https://brook.io/errors/";

    /** A problem for a code; used also for per-record errors in produce responses. */
    public static ProblemDetail problem(ErrorCode code, String detail) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(code.status(), detail);
        problem.setTitle(code.title());
        problem.setType(URI.create(TYPE_BASE + code.code()));
        problem.setProperty("error_code", code.code());
        return problem;
    }

    @ExceptionHandler(Throwable.class)
    Mono<ResponseEntity<Object>> handleAny(Throwable error, ServerWebExchange exchange) {
        KafkaErrors.Failure failure = KafkaErrors.classify(error);
        if (failure.code().status().is5xxServerError()) {
            LOG.warn(
                    "{} {} failed",
                    exchange.getRequest().getMethod(),
                    exchange.getRequest().getPath(),
                    error);
        }
        return respond(problem(failure.code(), failure.message()), exchange);
    }

    @Override
    protected Mono<ResponseEntity<Object>> handleServerWebInputException(
            ServerWebInputException ex, HttpHeaders headers, HttpStatusCode status, ServerWebExchange exchange) {
        if (hasCause(ex, DataBufferLimitException.class)) {
            return respond(
                    problem(ErrorCode.REQUEST_TOO_LARGE, "The request body is larger than the gateway accepts."),
                    exchange);
        }
        if (hasCause(ex, DecodingException.class)) {
            Throwable cause = ex.getMostSpecificCause();
            return respond(problem(ErrorCode.MALFORMED_JSON, "Malformed JSON: " + cause.getMessage()), exchange);
        }
        return super.handleServerWebInputException(ex, headers, status, exchange);
    }

    @Override
    protected Mono<ResponseEntity<Object>> handleExceptionInternal(
            Exception ex, Object body, HttpHeaders headers, HttpStatusCode status, ServerWebExchange exchange) {
        if (body == null && ex instanceof ErrorResponse response) {
            body = response.getBody();
        }
        if (body instanceof ProblemDetail problem
                && (problem.getProperties() == null || !problem.getProperties().containsKey("error_code"))) {
            ErrorCode code = ErrorCode.forStatus(status.value());
            problem.setProperty("error_code", code.code());
            if (problem.getDetail() == null) {
                problem.setDetail(
                        code == ErrorCode.REQUEST_TOO_LARGE
                                ? "The request body is larger than the gateway accepts."
                                : code.title() + ".");
            }
        }
        return super.handleExceptionInternal(ex, body, headers, status, exchange);
    }

    private Mono<ResponseEntity<Object>> respond(ProblemDetail problem, ServerWebExchange exchange) {
        problem.setInstance(URI.create(exchange.getRequest().getPath().value()));
        return Mono.just(ResponseEntity.status(problem.getStatus()).body(problem));
    }

    private static boolean hasCause(Throwable error, Class<? extends Throwable> type) {
        for (Throwable e = error; e != null; e = e.getCause()) {
            if (type.isInstance(e)) {
                return true;
            }
        }
        return false;
    }
}
