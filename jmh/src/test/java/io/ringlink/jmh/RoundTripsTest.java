package io.ringlink.jmh;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every cross-JVM peer really crosses to an echo JVM and back, message by message, and the files are owner-only.
 */
@Timeout(120)
class RoundTripsTest
{
    private static final int ROUND_TRIPS = 2_000;

    private Path directory;

    @BeforeEach
    void createDirectory() throws IOException
    {
        directory = SharedFiles.createDirectory();
    }

    @AfterEach
    void deleteDirectory()
    {
        SharedFiles.deleteTree(directory);
    }

    @Test
    void shouldEchoEveryMessageOverRawAgronaRings() throws IOException
    {
        try (AgronaRings rings = new AgronaRings(directory);
            EchoProcess echo = EchoProcess.start(directory, "agrona", directory.toString()))
        {
            assertThat(echo.readyArgument()).isEmpty();
            for (long i = 1; i <= ROUND_TRIPS; i++)
            {
                assertThat(rings.roundTrip(i)).isEqualTo(i);
            }
        }
    }

    @Test
    void shouldEchoEveryMessageOverIpcEndpoints() throws IOException
    {
        try (IpcEndpoints endpoints = new IpcEndpoints(directory);
            EchoProcess echo = EchoProcess.start(directory, "ipc", directory.toString()))
        {
            assertThat(echo.readyArgument()).isEmpty();
            for (long i = 1; i <= ROUND_TRIPS; i++)
            {
                assertThat(endpoints.roundTrip(i)).isEqualTo(i);
            }
        }
    }

    @Test
    void shouldEchoEveryMessageThroughARouterLinkBetweenIpcRings() throws IOException
    {
        try (IpcEndpoints endpoints = new IpcEndpoints(directory);
            EchoProcess echo = EchoProcess.start(directory, "ipc-link", directory.toString()))
        {
            assertThat(echo.readyArgument()).isNotEmpty();
            for (long i = 1; i <= ROUND_TRIPS / 10; i++)
            {
                assertThat(endpoints.roundTrip(i)).isEqualTo(i);
            }
        }
    }

    @Test
    void shouldEchoEveryMessageOverChronicleQueuesAndEndpoints() throws IOException
    {
        try (ChronicleQueues queues = new ChronicleQueues(directory);
            ChronicleEndpoints endpoints = new ChronicleEndpoints(directory);
            EchoProcess raw = EchoProcess.start(directory, "chronicle", directory.toString());
            EchoProcess link = EchoProcess.start(directory, "chronicle-link", directory.toString()))
        {
            assertThat(List.of(raw.readyArgument(), link.readyArgument())).containsOnly("");
            for (long i = 1; i <= ROUND_TRIPS; i++)
            {
                assertThat(queues.roundTrip(i)).isEqualTo(i);
                assertThat(endpoints.roundTrip(i)).isEqualTo(i);
            }
        }
    }

    @Test
    void shouldEchoEveryMessageOverLoopbackTcp() throws IOException
    {
        try (EchoProcess echo = EchoProcess.start(directory, "tcp", "blocking");
            TcpLink link = new TcpLink(Integer.parseInt(echo.readyArgument()), false))
        {
            for (long i = 1; i <= ROUND_TRIPS; i++)
            {
                assertThat(link.roundTrip(i)).isEqualTo(i);
            }
        }
    }

    @Test
    void shouldCreateMappedFilesForTheOwnerOnly() throws IOException
    {
        SharedFiles.mapNew(directory.resolve("probe"), 4096);

        assertThat(Files.getPosixFilePermissions(directory.resolve("probe")))
            .extracting(Object::toString).containsExactlyInAnyOrder("OWNER_READ", "OWNER_WRITE");
        assertThat(Files.getPosixFilePermissions(directory))
            .extracting(Object::toString).containsExactlyInAnyOrder("OWNER_READ", "OWNER_WRITE", "OWNER_EXECUTE");
    }
}
