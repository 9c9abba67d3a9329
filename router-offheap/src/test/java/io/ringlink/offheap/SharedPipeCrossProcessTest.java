package io.ringlink.offheap;

import io.ringlink.test.ChildJvm;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.LockSupport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * {@link SharedPipe} between real JVMs: a ping-pong both ways, a peer killed with {@code kill -9}, a third process
 * refused a held end, a peer that closes normally. The file's mode under {@code umask 000} is checked by
 * {@code OwnerOnlyUnderUmaskTest}.
 * <p>
 * The ping-pong makes {@value #PING_PONGS_DEFAULT} round trips unless {@code -Dringlink.pipe.pingPongs=N} says
 * otherwise; the streaming peer is killed {@value #KILLS_DEFAULT} times unless {@code -Dringlink.pipe.kills=N} (a run
 * prints its seed: replay with {@code -Dringlink.pipe.seed=S}).
 */
@Timeout(30)
class SharedPipeCrossProcessTest
{
    static final int PING_PONGS_DEFAULT = 100_000;
    static final int KILLS_DEFAULT = 3;
    static final int REFUSED = 3;
    static final int BROKEN = 4;

    @TempDir
    Path dir;

    /**
     * Takes end 1 and answers every long {@code n} with {@code -n} until the other end closes; exits 0 then.
     */
    public static final class Echo
    {
        public static void main(final String[] args) throws Exception
        {
            try (SharedPipe<Long> pipe = SharedPipe.open(Path.of(args[0]), Codecs.longs()))
            {
                final SharedPipe.End<Long> end = pipe.end(1);
                long count = 0;
                while (true)
                {
                    final long value;
                    try
                    {
                        value = end.recv();
                    }
                    catch (final SharedPipe.PeerGoneException ex)
                    {
                        System.out.println("echoed " + count + ", then: " + ex.getMessage());
                        return;
                    }
                    end.send(-value);
                    count++;
                }
            }
        }
    }

    /**
     * Takes end 1, says "held", sends the remaining arguments, then either closes normally ("close") or holds the end
     * until killed ("hold").
     */
    public static final class Holder
    {
        public static void main(final String[] args) throws Exception
        {
            try (SharedPipe<String> pipe = SharedPipe.open(Path.of(args[0]), Codecs.utf8()))
            {
                final SharedPipe.End<String> end = pipe.end(1);
                end.send("held by " + ProcessHandle.current().pid());
                for (int i = 2; i < args.length; i++)
                {
                    end.send(args[i]);
                }
                if ("hold".equals(args[1]))
                {
                    Thread.sleep(60_000);
                }
            }
        }
    }

    /**
     * Takes end 1 and sends 0, 1, 2, ... until killed.
     */
    public static final class Streamer
    {
        public static void main(final String[] args) throws Exception
        {
            try (SharedPipe<Long> pipe = SharedPipe.open(Path.of(args[0]), Codecs.longs()))
            {
                final SharedPipe.End<Long> end = pipe.end(1);
                for (long i = 0; ; i++)
                {
                    end.send(i);
                }
            }
        }
    }

    /**
     * Tries to take the end given; prints and exits {@value #REFUSED} with the holder's pid if refused,
     * {@value #BROKEN} if the end is broken.
     */
    public static final class Taker
    {
        public static void main(final String[] args) throws Exception
        {
            try (SharedPipe<String> pipe = SharedPipe.open(Path.of(args[0]), Codecs.utf8()))
            {
                pipe.end(Integer.parseInt(args[1]));
                System.out.println("took it");
            }
            catch (final RingRoleException ex)
            {
                System.out.println("refused pid " + ex.holderPid() + ": " + ex.getMessage());
                System.exit(REFUSED);
            }
            catch (final RingFileException ex)
            {
                System.out.println("broken: " + ex.getMessage());
                System.exit(BROKEN);
            }
        }
    }

    @Test
    void shouldPingPongAHundredThousandMessagesWithAnotherJvmInBothDirections() throws Exception
    {
        final int pingPongs = Integer.getInteger("ringlink.pipe.pingPongs", PING_PONGS_DEFAULT);
        final Path file = dir.resolve("pipe");
        try (SharedPipe<Long> pipe = SharedPipe.create(file, 1 << 16, Codecs.longs());
            ChildJvm echo = ChildJvm.start(dir, Echo.class, file.toString()))
        {
            final SharedPipe.End<Long> end = pipe.end(0);
            final long start = System.nanoTime();
            for (long i = 1; i <= pingPongs; i++)
            {
                end.send(i);
                final Long reply = end.recv(Duration.ofSeconds(20));
                assertThat(reply).as("reply to %d\n%s", i, echo.output()).isEqualTo(-i);
            }
            final long elapsedMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
            assertThat(end.poll()).as("nothing more came").isFalse();
            end.close();
            assertThat(echo.awaitExit(Duration.ofSeconds(10))).as(echo.output()).isZero();
            assertThat(echo.stdout()).contains("echoed " + pingPongs + ", then:").contains("end 0 was closed");
            System.out.println(pingPongs + " round trips in " + elapsedMs + " ms");
        }
    }

    @Test
    void shouldReportAPeerKilledWithKill9WithinTheCheckIntervalAndRefuseItsEndAfterwards() throws Exception
    {
        final Path file = dir.resolve("pipe");
        try (SharedPipe<String> pipe = SharedPipe.create(file, 1 << 12, Codecs.utf8()))
        {
            final SharedPipe.End<String> end = pipe.end(0);
            final long childPid;
            final long detectedAfterNs;
            try (ChildJvm holder = ChildJvm.start(dir, Holder.class, file.toString(), "hold", "last words"))
            {
                childPid = holder.process().pid();
                assertThat(end.recv(Duration.ofSeconds(20))).as(holder.output()).isEqualTo("held by " + childPid);
                assertThat(end.peerPid()).isEqualTo(childPid);
                final CompletableFuture<Long> waiter = CompletableFuture.supplyAsync(() ->
                {
                    try
                    {
                        assertThat(end.recv()).isEqualTo("last words");
                        end.recv();
                        throw new AssertionError("recv returned after the peer died");
                    }
                    catch (final SharedPipe.PeerGoneException ex)
                    {
                        assertThat(ex.died()).isTrue();
                        assertThat(ex.peerPid()).isEqualTo(childPid);
                        assertThat(ex).hasMessageContaining("process " + childPid).hasMessageContaining("died");
                        return System.nanoTime();
                    }
                    catch (final InterruptedException ex)
                    {
                        throw new IllegalStateException(ex);
                    }
                });
                assertThatThrownBy(() -> waiter.get(300, TimeUnit.MILLISECONDS)).as("still waiting on a live peer")
                    .isInstanceOf(TimeoutException.class);
                holder.kill();
                final long killedNs = System.nanoTime();
                detectedAfterNs = waiter.get(5, TimeUnit.SECONDS) - killedNs;
            }
            System.out.println("kill -9 seen after " + TimeUnit.NANOSECONDS.toMillis(detectedAfterNs) + " ms");
            assertThat(TimeUnit.NANOSECONDS.toMillis(detectedAfterNs)).as("detected within the check interval")
                .isLessThan(SharedPipe.PEER_CHECK_INTERVAL.toMillis() + 400);
            assertThatThrownBy(() -> end.send("anyone?")).isInstanceOfSatisfying(SharedPipe.PeerGoneException.class,
                (ex) -> assertThat(ex.died()).isTrue());
            try (ChildJvm taker = ChildJvm.start(dir, Taker.class, file.toString(), "1"))
            {
                assertThat(taker.awaitExit(Duration.ofSeconds(20))).as(taker.output()).isEqualTo(BROKEN);
                assertThat(taker.stdout()).contains("process " + childPid).contains("broken");
            }
            assertThatThrownBy(end::recv).as("still gone after the end was marked broken")
                .isInstanceOfSatisfying(SharedPipe.PeerGoneException.class, (ex) -> assertThat(ex.died()).isTrue());
        }
    }

    @Test
    void shouldDeliverWholeMessagesInOrderThenReportDeathWhenAStreamingPeerIsKilledAtRandom() throws Exception
    {
        final int kills = Integer.getInteger("ringlink.pipe.kills", KILLS_DEFAULT);
        final long seed = Long.getLong("ringlink.pipe.seed", System.nanoTime());
        final Random random = new Random(seed);
        System.out.println("kills " + kills + ", seed " + seed + " (replay with -Dringlink.pipe.seed=" + seed + ")");
        for (int round = 0; round < kills; round++)
        {
            final Path file = dir.resolve("pipe-" + round);
            try (SharedPipe<Long> pipe = SharedPipe.create(file, 1 << 12, Codecs.longs()))
            {
                final SharedPipe.End<Long> end = pipe.end(0);
                final int before = 1 + random.nextInt(20_000);
                long expected = 0;
                try (ChildJvm streamer = ChildJvm.start(dir, Streamer.class, file.toString()))
                {
                    for (; expected < before; expected++)
                    {
                        assertThat(end.recv(Duration.ofSeconds(20))).as(streamer.output()).isEqualTo(expected);
                    }
                    // let it fill the ring and block, or be mid-send, when it dies
                    LockSupport.parkNanos(random.nextInt(2_000_000));
                    streamer.kill();
                }
                final long drainedFrom = expected;
                try
                {
                    while (true)
                    {
                        assertThat(end.recv(Duration.ofSeconds(5))).as("after %d", expected).isEqualTo(expected);
                        expected++;
                    }
                }
                catch (final SharedPipe.PeerGoneException ex)
                {
                    assertThat(ex.died()).as(ex.getMessage()).isTrue();
                }
                // a 4 KiB ring holds at most 256 records of a long (8 bytes and an 8-byte header)
                assertThat(expected - drainedFrom).as("drained after the kill").isLessThanOrEqualTo(256);
            }
        }
    }

    @Test
    void shouldRefuseAThirdProcessAHeldEndNamingTheHoldersPid() throws Exception
    {
        final Path file = dir.resolve("pipe");
        try (SharedPipe<String> pipe = SharedPipe.create(file, 1 << 12, Codecs.utf8());
            ChildJvm holder = ChildJvm.start(dir, Holder.class, file.toString(), "hold"))
        {
            final SharedPipe.End<String> end = pipe.end(0);
            assertThat(end.recv(Duration.ofSeconds(20))).as(holder.output())
                .isEqualTo("held by " + holder.process().pid());
            try (ChildJvm third = ChildJvm.start(dir, Taker.class, file.toString(), "1"))
            {
                assertThat(third.awaitExit(Duration.ofSeconds(20))).as(third.output()).isEqualTo(REFUSED);
                assertThat(third.stdout()).contains("refused pid " + holder.process().pid());
            }
            try (ChildJvm third = ChildJvm.start(dir, Taker.class, file.toString(), "0"))
            {
                assertThat(third.awaitExit(Duration.ofSeconds(20))).as(third.output()).isEqualTo(REFUSED);
                assertThat(third.stdout()).contains("refused pid " + ProcessHandle.current().pid());
            }
        }
    }

    @Test
    void shouldGiveTheRemainingMessagesThenEndOfFileWhenThePeerJvmClosesNormally() throws Exception
    {
        final Path file = dir.resolve("pipe");
        try (SharedPipe<String> pipe = SharedPipe.create(file, 1 << 12, Codecs.utf8()))
        {
            final SharedPipe.End<String> end = pipe.end(0);
            try (ChildJvm holder = ChildJvm.start(dir, Holder.class, file.toString(), "close", "a", "b", "c"))
            {
                assertThat(holder.awaitExit(Duration.ofSeconds(20))).as(holder.output()).isZero();
            }
            final List<String> received = new ArrayList<>();
            assertThatThrownBy(() ->
            {
                while (true)
                {
                    received.add(end.recv(Duration.ofSeconds(5)));
                }
            }).isInstanceOfSatisfying(SharedPipe.PeerGoneException.class, (ex) -> assertThat(ex.died()).isFalse())
                .hasMessageContaining("end 1 was closed");
            assertThat(received).hasSize(4).endsWith("a", "b", "c");
        }
    }
}
