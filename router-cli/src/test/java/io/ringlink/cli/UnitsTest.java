package io.ringlink.cli;

import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The summary names a timeout as the user wrote it: whole seconds as seconds, anything else in milliseconds, never
 * "0 s" for {@code --drain-timeout 500ms}.
 */
class UnitsTest
{
    @Test
    void shouldWriteATimeoutAsTheUserWouldHaveTypedIt()
    {
        assertThat(Units.timeout(Duration.ofSeconds(10))).isEqualTo("10 s");
        assertThat(Units.timeout(Duration.ofSeconds(1))).isEqualTo("1 s");
        assertThat(Units.timeout(Duration.ofMinutes(2))).isEqualTo("120 s");
        assertThat(Units.timeout(Duration.ofMillis(500))).isEqualTo("500 ms");
        assertThat(Units.timeout(Duration.ofMillis(1_500))).isEqualTo("1500 ms");
        assertThat(Units.timeout(Duration.ZERO)).isEqualTo("0 s");
    }
}
