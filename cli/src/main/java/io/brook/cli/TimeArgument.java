package io.brook.cli;

import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeParseException;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/**
 * A point in time as the commands take it ({@code consume --from-time}, {@code groups
 * reset-offsets --to-datetime}), converted to epoch milliseconds: epoch milliseconds themselves,
 * an ISO-8601 instant or date-time with an offset ({@code 2026-11-29T07:00:00Z}, {@code
 * 2026-11-29T08:00:00+01:00}), or a local date-time ({@code 2026-11-29T07:00:00.000}, Kafka's
 * {@code --to-datetime} form) in the machine's time zone.
 */
final class TimeArgument implements ITypeConverter<Long> {

    @Override
    public Long convert(String value) {
        if (value.matches("\\d+")) {
            return Long.parseLong(value);
        }
        try {
            return OffsetDateTime.parse(value).toInstant().toEpochMilli();
        } catch (DateTimeParseException notWithOffset) {
            try {
                return Instant.parse(value).toEpochMilli();
            } catch (DateTimeParseException notAnInstant) {
                try {
                    return LocalDateTime.parse(value)
                            .atZone(ZoneId.systemDefault())
                            .toInstant()
                            .toEpochMilli();
                } catch (DateTimeParseException e) {
                    throw new TypeConversionException(
                            "'" + value
                                    + "' is not a time: give epoch milliseconds or an ISO-8601 date-time such as 2026-11-29T07:00:00Z");
                }
            }
        }
    }
}
