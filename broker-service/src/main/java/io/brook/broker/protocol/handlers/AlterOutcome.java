package io.brook.broker.protocol.handlers;

import org.apache.kafka.common.errors.ApiException;
import org.apache.kafka.common.protocol.Errors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The answer for one resource of AlterConfigs or IncrementalAlterConfigs: no error, or the error
 * code and message of what the alteration threw. Unexpected failures are logged, since the client
 * only sees their class.
 */
record AlterOutcome(short errorCode, String errorMessage) {

    private static final Logger LOG = LoggerFactory.getLogger(AlterOutcome.class);

    static AlterOutcome of(String resourceName, Runnable alteration) {
        try {
            alteration.run();
            return new AlterOutcome(Errors.NONE.code(), null);
        } catch (ApiException e) {
            return new AlterOutcome(Errors.forException(e).code(), e.getMessage());
        } catch (RuntimeException e) {
            LOG.error("Altering the configs of {} failed", resourceName, e);
            return new AlterOutcome(Errors.forException(e).code(), e.getMessage());
        }
    }
}
