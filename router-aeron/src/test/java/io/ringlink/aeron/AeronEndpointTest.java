package io.ringlink.aeron;

import io.ringlink.WaitStrategy;
import io.ringlink.aeron.internal.AeronEndpoint;
import io.ringlink.spi.EndpointUri;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Parsing {@code aeron:} URIs: RingLink's keys out, Aeron's channel through unchanged.
 */
class AeronEndpointTest
{
    private static AeronEndpoint parse(final String uri)
    {
        return AeronEndpoint.parse(EndpointUri.parse(uri));
    }

    @Test
    void shouldRemoveRingLinksKeysAndPassAeronsThroughWithEitherSeparator()
    {
        final AeronEndpoint pipes = parse("aeron:udp?endpoint=10.0.0.2:40123|mtu=8k|stream=7|codec=bytes|" +
            "term-length=64k|wait=yielding|connect-timeout=2s");
        assertThat(pipes.channel()).isEqualTo("aeron:udp?endpoint=10.0.0.2:40123|mtu=8k|term-length=64k");
        assertThat(pipes.streamId()).isEqualTo(7);
        assertThat(pipes.codecName()).isEqualTo("bytes");
        assertThat(pipes.waitStrategy()).isEqualTo(WaitStrategy.YIELDING);
        assertThat(pipes.connectTimeout()).isEqualTo(Duration.ofSeconds(2));
        assertThat(pipes.external()).isFalse();

        final AeronEndpoint ampersands = parse("aeron:udp?endpoint=10.0.0.2:40123&stream=7&mtu=8k&driver=external" +
            "&dir=/dev/shm/x");
        assertThat(ampersands.channel()).isEqualTo("aeron:udp?endpoint=10.0.0.2:40123|mtu=8k");
        assertThat(ampersands.external()).isTrue();
        assertThat(ampersands.dir()).isEqualTo("/dev/shm/x");
    }

    @Test
    void shouldDefaultToStream1001Utf8BlockingAndAnEmbeddedDriver()
    {
        final AeronEndpoint ipc = parse("aeron:ipc");
        assertThat(ipc.channel()).isEqualTo("aeron:ipc");
        assertThat(ipc.isIpc()).isTrue();
        assertThat(ipc.streamId()).isEqualTo(AeronEndpoint.STREAM_DEFAULT).isEqualTo(1001);
        assertThat(ipc.codecName()).isEqualTo("utf8");
        assertThat(ipc.waitStrategy()).isEqualTo(WaitStrategy.BLOCKING);
        assertThat(ipc.external()).isFalse();
        assertThat(ipc.connectTimeout()).isEqualTo(AeronEndpoint.CONNECT_TIMEOUT_DEFAULT);
    }

    @Test
    void shouldTakeTheLinkersCodecWhenTheUriSetsNone()
    {
        final EndpointUri uri = EndpointUri.parse("aeron:ipc?stream=3").withDefaults(Map.of("codec", "bytes"));
        assertThat(AeronEndpoint.parse(uri).codecName()).isEqualTo("bytes");
        final EndpointUri own = EndpointUri.parse("aeron:ipc?stream=3|codec=longs")
            .withDefaults(Map.of("codec", "bytes"));
        assertThat(AeronEndpoint.parse(own).codecName()).isEqualTo("longs");
    }

    @Test
    void shouldRefuseABadChannelNamingTheUri()
    {
        assertThatThrownBy(() -> parse("aeron:tcp?endpoint=localhost:1"))
            .isInstanceOf(IllegalArgumentException.class)
            .hasMessageContaining("aeron:tcp?endpoint=localhost:1");
        assertThatThrownBy(() -> parse("aeron:udp?endpoint"))
            .isInstanceOf(IllegalArgumentException.class)
            .hasMessageContaining("aeron:udp?endpoint");
        assertThatThrownBy(() -> parse("aeron:ipc?stream=x"))
            .isInstanceOf(IllegalArgumentException.class)
            .hasMessageContaining("stream='x'");
        assertThatThrownBy(() -> parse("aeron:ipc?driver=remote"))
            .isInstanceOf(IllegalArgumentException.class)
            .hasMessageContaining("embedded or external");
    }

    @Test
    void shouldRefuseAnUnknownKeyNamingTheKnownOnes()
    {
        assertThatThrownBy(() -> parse("aeron:udp?endpoint=localhost:40123|strem=7"))
            .isInstanceOf(IllegalArgumentException.class)
            .hasMessageContaining("aeron:udp?endpoint=localhost:40123|strem=7")
            .hasMessageContaining("unknown parameter 'strem'")
            .hasMessageContaining("stream")
            .hasMessageContaining("connect-timeout")
            .hasMessageContaining("term-length");
    }
}
