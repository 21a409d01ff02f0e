package io.brook.gateway.http.consume;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.brook.gateway.error.ErrorCode;
import io.brook.gateway.error.GatewayException;
import io.brook.gateway.http.consume.RecordSearches.From;
import io.brook.gateway.http.consume.RecordSearches.In;
import org.junit.jupiter.api.Test;

/** How {@code records:search} reads its {@code from} and {@code in} parameters. */
class SearchParametersTest {

    @Test
    void fromIsEarliestByDefaultTheLastNOrATime() {
        assertThat(RecordsSearchController.from(null)).isEqualTo(new From.Earliest());
        assertThat(RecordsSearchController.from("earliest")).isEqualTo(new From.Earliest());
        assertThat(RecordsSearchController.from("latest-250")).isEqualTo(new From.LastN(250));
        assertThat(RecordsSearchController.from("latest-0")).isEqualTo(new From.LastN(0));
        assertThat(RecordsSearchController.from("1700000000000")).isEqualTo(new From.Timestamp(1_700_000_000_000L));
        assertThat(RecordsSearchController.from("2023-11-14T22:13:20Z"))
                .isEqualTo(new From.Timestamp(1_700_000_000_000L));
    }

    @Test
    void anythingElseIsAnInvalidRequest() {
        for (String bad : new String[] {"latest", "latest--1", "latest-x", "yesterday", "2023-13-01"}) {
            assertThatThrownBy(() -> RecordsSearchController.from(bad))
                    .as(bad)
                    .isInstanceOfSatisfying(
                            GatewayException.class,
                            e -> assertThat(e.errorCode()).isEqualTo(ErrorCode.INVALID_REQUEST));
        }
        assertThatThrownBy(() -> RecordsSearchController.in("headers")).isInstanceOf(GatewayException.class);
    }

    @Test
    void inIsBothByDefault() {
        assertThat(RecordsSearchController.in(null)).isEqualTo(In.BOTH);
        assertThat(RecordsSearchController.in("KEY")).isEqualTo(In.KEY);
        assertThat(RecordsSearchController.in("value")).isEqualTo(In.VALUE);
    }
}
