package io.ringlink.link;

import io.ringlink.RingLink;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.LinkedBlockingQueue;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * A parameter a scheme does not know is refused when the link is made, naming it and the known ones, and nothing is
 * opened or made for it.
 */
@Timeout(30)
class UriParametersTest
{
    @TempDir
    Path dir;

    @Test
    void shouldRefuseAMisspeltFileParameterNamingTheKnownOnes() throws Exception
    {
        final Path file = Files.writeString(dir.resolve("in.txt"), "a\n");
        assertThatThrownBy(() -> RingLink.link("file:" + file + "?folow", new LinkedBlockingQueue<>()))
            .isInstanceOf(IllegalArgumentException.class)
            .hasMessageContaining("unknown parameter 'folow' for file:")
            .hasMessageContaining("known: charset, chunk, codec, follow, lines, longLines, malformed, maxLine, " +
                "truncate");
        assertThatThrownBy(() -> RingLink.link(new LinkedBlockingQueue<>(), "file:" + dir.resolve("out") + "?trunc"))
            .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'trunc'");
        assertThat(dir.resolve("out")).doesNotExist();
    }

    @Test
    void shouldRefuseFollowOnAFifoWithoutMakingIt()
    {
        assertThatThrownBy(() -> RingLink.link("fifo:" + dir.resolve("f") + "?follow", new LinkedBlockingQueue<>()))
            .isInstanceOf(IllegalArgumentException.class)
            .hasMessageContaining("unknown parameter 'follow' for fifo:")
            .hasMessageContaining("keep")
            .hasMessageContaining("reopen");
        assertThat(dir.resolve("f")).doesNotExist();
    }

    @Test
    void shouldAcceptTheLinkersOwnDefaultsOnEveryScheme() throws Exception
    {
        final Path file = Files.writeString(dir.resolve("in.txt"), "a\n");
        final LinkedBlockingQueue<Object> out = new LinkedBlockingQueue<>();
        // The linker merges its options (follow, keep, truncate...) into every URI: those are not the user's.
        try (var link = RingLink.linker().link("file:" + file + "?codec=utf8&maxLine=100", out))
        {
            assertThat(link.awaitCompletion(java.time.Duration.ofSeconds(10))).isTrue();
        }
        assertThat(out).containsExactly("a");
    }
}
