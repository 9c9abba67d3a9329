package io.ringlink.offheap.internal;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Every token that names a holder by pid (a role's owner in a ring or pipe file, the take lock) keeps the pid in 22
 * bits; a pid that does not fit is refused with a clear exception, never cut to its low bits (which would name
 * another process).
 */
class TokenPidTest
{
    private static final long LIMIT = 1L << IpcRingDescriptor.OWNER_PID_BITS;

    @Test
    void shouldKeepEveryLinuxPidWhole()
    {
        assertThat(ProcessIdentity.MAX_TOKEN_PID).isEqualTo(4_194_303L);
        assertThat(ProcessIdentity.checkTokenPid(1)).isEqualTo(1);
        assertThat(ProcessIdentity.checkTokenPid(LIMIT - 1)).isEqualTo(LIMIT - 1);
        final long startSeconds = 1_764_600_000L;
        final long token = ProcessRole.token(LIMIT - 1, startSeconds);
        assertThat(token & ProcessIdentity.MAX_TOKEN_PID).isEqualTo(LIMIT - 1);
        assertThat(token >>> IpcRingDescriptor.OWNER_PID_BITS).isEqualTo(startSeconds);
    }

    @Test
    void shouldRefuseAPidThatDoesNotFitInsteadOfNamingAnotherProcess()
    {
        for (final long pid : new long[] {LIMIT, LIMIT + 1, LIMIT + 4242, Long.MAX_VALUE, 0, -1})
        {
            assertThatThrownBy(() -> ProcessIdentity.checkTokenPid(pid))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("pid " + pid + " does not fit the 22 bits")
                .hasMessageContaining("1 to 4194303");
            assertThatThrownBy(() -> ProcessRole.token(pid, 1_764_600_000L))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("pid " + pid);
            assertThatThrownBy(() -> TakeLock.tokenOf(pid, 1))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("pid " + pid);
        }
    }

    @Test
    void shouldMakeATakeLockTokenThatNamesThisProcess()
    {
        final long pid = ProcessHandle.current().pid();
        final long token = TakeLock.tokenOf(pid, 7);
        assertThat(token & ProcessIdentity.MAX_TOKEN_PID).isEqualTo(pid);
        assertThat(ProcessIdentity.isAlive(pid, token >>> IpcRingDescriptor.OWNER_PID_BITS &
            ((1L << ProcessIdentity.START_BITS) - 1))).isTrue();
    }
}
