/* FEFF's process: started in its scratch folder with its output in
 * feff.log, nothing of the runner's inherited (no other file, no blocked
 * or ignored signal), in a process group of its own (stopped as a whole,
 * and ended as a whole once FEFF itself has: nothing it started writes on
 * after its run is judged), made to die with the runner, and waited for
 * by its own pid only (a program that holds the library may have children
 * of its own). */
#define _GNU_SOURCE   /* close_range, syncfs */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include "run_private.h"

/* The child, between fork and exec: only async-signal-safe calls. */
static void child(const char *program, const char *scratch, pid_t parent)
{
    setpgid(0, 0);
    prctl(PR_SET_PDEATHSIG, SIGKILL);
    if (getppid() != parent)
        _exit(127);
    sigset_t none;
    sigemptyset(&none);
    sigprocmask(SIG_SETMASK, &none, NULL);
    static const int reset[] = {SIGPIPE, SIGINT, SIGTERM, SIGHUP, SIGQUIT, SIGCHLD};
    for (size_t i = 0; i < sizeof reset / sizeof reset[0]; i++)
        signal(reset[i], SIG_DFL);
    int log = -1;
    if (chdir(scratch) == 0)
        log = open("feff.log", O_WRONLY | O_CREAT | O_TRUNC, 0644);
    if (log < 0)
        _exit(126);
    int null = open("/dev/null", O_RDONLY);
    if (null < 0 || dup2(null, STDIN_FILENO) < 0 || dup2(log, STDOUT_FILENO) < 0 ||
        dup2(log, STDERR_FILENO) < 0)
        _exit(126);
    close_range(3, ~0U, 0);
    execl(program, program, (char *)NULL);
    static const char msg[] = "mdexafs: exec failed: ";
    (void)!write(STDERR_FILENO, msg, sizeof msg - 1);
    (void)!write(STDERR_FILENO, program, strlen(program));
    (void)!write(STDERR_FILENO, "\n", 1);
    _exit(127);
}

mdx_status mdx_run_spawn(const char *program, const char *scratch, pid_t *pid,
                         mdx_error *err)
{
    pid_t parent = getpid();
    pid_t p = fork();
    if (p < 0)
        return mdx_error_set(err, MDX_ERR_IO, scratch, 0, "cannot start %s: %s", program,
                             strerror(errno));
    if (p == 0)
        child(program, scratch, parent);
    *pid = p;
    return MDX_OK;
}

void mdx_run_kill(pid_t pid)
{
    if (pid <= 0)
        return;
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
        *wstatus = -1;   /* reaped by another (SIGCHLD ignored?): its status is lost */
    if (got == pid || got < 0)
        kill(-pid, SIGKILL);   /* what FEFF started and left running */
    return got == pid || got < 0;
}

int mdx_run_sync(const char *dir)
{
    int fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd < 0)
        return 0;
    int ok = syncfs(fd) == 0;
    close(fd);
    return ok;
}
