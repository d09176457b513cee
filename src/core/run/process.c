/* FEFF's process: started in its scratch folder with its output in
 * feff.log, in a process group of its own (stopped as a whole), made to
 * die with the runner (the programs it started may finish first, in their
 * scratch folder), and waited for by its own pid only (a program that
 * holds the library may have children of its own). */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include "run_private.h"

mdx_status mdx_run_spawn(const char *program, const char *scratch, pid_t *pid,
                         mdx_error *err)
{
    pid_t parent = getpid();
    *pid = fork();
    if (*pid < 0)
        return mdx_error_set(err, MDX_ERR_IO, NULL, 0, "cannot start %s: %s", program,
                             strerror(errno));
    if (*pid > 0)
        return MDX_OK;
    /* the child: only async-signal-safe calls until exec. Its own process
     * group, so that stopping a run stops all of FEFF's programs. */
    setpgid(0, 0);
    prctl(PR_SET_PDEATHSIG, SIGKILL);
    if (getppid() != parent)
        _exit(127);
    int log = -1;
    if (chdir(scratch) == 0)
        log = open("feff.log", O_WRONLY | O_CREAT | O_TRUNC, 0644);
    if (log >= 0) {
        dup2(log, STDOUT_FILENO);
        dup2(log, STDERR_FILENO);
        close(log);
        int null = open("/dev/null", O_RDONLY);
        if (null >= 0) {
            dup2(null, STDIN_FILENO);
            close(null);
        }
        execlp(program, program, (char *)NULL);
        static const char msg[] = "mdexafs: cannot run the FEFF program\n";
        (void)!write(STDERR_FILENO, msg, sizeof msg - 1);
    }
    _exit(127);
}

void mdx_run_kill(pid_t pid)
{
    kill(-pid, SIGKILL);
    kill(pid, SIGKILL);
    int wstatus;
    while (waitpid(pid, &wstatus, 0) < 0 && errno == EINTR)
        continue;
}

int mdx_run_ended(pid_t pid, int *wstatus)
{
    pid_t got;
    do
        got = waitpid(pid, wstatus, WNOHANG);
    while (got < 0 && errno == EINTR);
    if (got < 0)
        *wstatus = -1;   /* reaped by another: its status is lost */
    return got == pid || got < 0;
}
