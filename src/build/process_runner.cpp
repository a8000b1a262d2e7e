#include "sp/build/process.hpp"

#include "sp/util/file.hpp"
#include "sp/util/time.hpp"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <array>
#include <cerrno>
#include <csignal>
#include <cstring>
#include <optional>

namespace sp::build {

namespace {

using Clock = std::chrono::steady_clock;
using std::chrono::milliseconds;

volatile std::sig_atomic_t interrupt_signal = 0;

extern "C" void remember_interrupt(int signal) { interrupt_signal = signal; }

// While a build runs, SIGINT and friends must not kill sp outright: the
// child has its own process group, so the terminal's Ctrl-C never reaches
// it, and sp would leave it running orphaned. We end the group instead.
class InterruptGuard {
public:
  InterruptGuard() {
    interrupt_signal = 0;
    struct sigaction action{};
    action.sa_handler = remember_interrupt;
    sigemptyset(&action.sa_mask);
    for (std::size_t i = 0; i < signals_.size(); ++i) ::sigaction(signals_[i], &action, &previous_[i]);
  }
  InterruptGuard(const InterruptGuard&) = delete;
  InterruptGuard& operator=(const InterruptGuard&) = delete;
  ~InterruptGuard() {
    for (std::size_t i = 0; i < signals_.size(); ++i) ::sigaction(signals_[i], &previous_[i], nullptr);
  }

private:
  static constexpr std::array<int, 3> signals_{SIGINT, SIGTERM, SIGHUP};
  std::array<struct sigaction, 3> previous_{};
};

// Writing to a pipe whose reader is gone raises SIGPIPE, which would end sp.
// While a child's input is fed, the write fails with EPIPE instead. The
// child itself gets the default back before exec.
class SigpipeIgnored {
public:
  SigpipeIgnored() {
    struct sigaction ignore{};
    ignore.sa_handler = SIG_IGN;
    sigemptyset(&ignore.sa_mask);
    ::sigaction(SIGPIPE, &ignore, &previous_);
  }
  SigpipeIgnored(const SigpipeIgnored&) = delete;
  SigpipeIgnored& operator=(const SigpipeIgnored&) = delete;
  ~SigpipeIgnored() { ::sigaction(SIGPIPE, &previous_, nullptr); }

private:
  struct sigaction previous_{};
};

// Orphans of the command (a background process whose parent exited) go to
// sp instead of init while this is alive, so sp reaps them even where PID 1
// reaps nothing (a container whose init is a shell): a zombie still counts
// as a group member and would hold the run loop until the SIGKILL's grace.
// Only for the run that asks, and cleared after it: a process that stays a
// subreaper adopts the orphans of every later command too, and in a long
// `sp watch` each alert command that daemonises would end as a zombie that
// nobody reaps. Builds ask; they run in `sp project build`, which starts
// no other children (this runner runs one command at a time), so every
// ended child left at the end is an adopted orphan and is reaped here. One
// still running (it left the group) stays sp's child until sp exits.
class SubreaperScope {
public:
  explicit SubreaperScope(bool wanted) {
    if (!wanted) return;
    int already = 0;
    (void)::prctl(PR_GET_CHILD_SUBREAPER, &already);
    set_here_ = already == 0 && ::prctl(PR_SET_CHILD_SUBREAPER, 1) == 0;
  }
  SubreaperScope(const SubreaperScope&) = delete;
  SubreaperScope& operator=(const SubreaperScope&) = delete;
  ~SubreaperScope() {
    if (!set_here_) return;
    (void)::prctl(PR_SET_CHILD_SUBREAPER, 0);
    while (::waitpid(-1, nullptr, WNOHANG) > 0) {
    }
  }

private:
  bool set_here_ = false;
};

bool group_has_members(pid_t group) { return ::kill(-group, 0) == 0 || errno == EPERM; }

// What the child reports through the exec-error pipe when it cannot start.
struct StartFailure {
  char stage; // 'd': chdir failed, 'x': exec failed
  int error;
};

// Only async-signal-safe calls between fork and exec.
[[noreturn]] void exec_child(const char* directory, char* const* argv, int input_fd, int output_fd,
                             int error_fd, pid_t parent) {
  ::setpgid(0, 0);
  ::prctl(PR_SET_PDEATHSIG, SIGTERM);
  if (::getppid() != parent) ::_exit(127); // sp died before prctl took effect
  ::signal(SIGPIPE, SIG_DFL);
  sigset_t none;
  sigemptyset(&none);
  ::sigprocmask(SIG_SETMASK, &none, nullptr);
  const int stdin_fd = input_fd >= 0 ? input_fd : ::open("/dev/null", O_RDONLY);
  if (stdin_fd >= 0) ::dup2(stdin_fd, STDIN_FILENO);
  ::dup2(output_fd, STDOUT_FILENO);
  ::dup2(output_fd, STDERR_FILENO);
  StartFailure failure{'d', 0};
  if (::chdir(directory) == 0) {
    ::execvp(argv[0], argv);
    failure.stage = 'x';
  }
  failure.error = errno;
  (void)!::write(error_fd, &failure, sizeof failure);
  ::_exit(127);
}

// The pipes between sp and the child. The write end of `input` is
// non-blocking and fed between reads of the output, so a child that fills
// its output pipe before it reads stdin, or never reads it, cannot deadlock us.
struct ChildPipes {
  util::Fd output_read, output_write; // the child's stdout and stderr, interleaved
  util::Fd error_read, error_write;   // a StartFailure, or EOF on a successful exec
  util::Fd input_read, input_write;   // only when the request has input
};

Result<void> open_pipe(util::Fd& read_end, util::Fd& write_end, const std::string& doing) {
  std::array<int, 2> ends{-1, -1};
  if (::pipe2(ends.data(), O_CLOEXEC) != 0) {
    return fail(ErrorKind::failure, doing, std::string("creating a pipe: ") + std::strerror(errno));
  }
  read_end = util::Fd(ends[0]);
  write_end = util::Fd(ends[1]);
  return {};
}

Result<ChildPipes> open_pipes(const ProcessRequest& request, const std::string& doing) {
  ChildPipes pipes;
  if (auto made = open_pipe(pipes.output_read, pipes.output_write, doing); !made)
    return std::unexpected(made.error());
  if (auto made = open_pipe(pipes.error_read, pipes.error_write, doing); !made)
    return std::unexpected(made.error());
  if (request.input) {
    if (auto made = open_pipe(pipes.input_read, pipes.input_write, doing); !made) {
      return std::unexpected(made.error());
    }
    ::fcntl(pipes.input_write.get(), F_SETFL, O_NONBLOCK);
  }
  return pipes;
}

// Waits for the exec-error pipe: it closes on a successful exec; data means
// the child could not enter its directory or exec the program.
Result<void> confirm_started(pid_t child, const util::Fd& error_read, const ProcessRequest& request,
                             const std::string& doing) {
  StartFailure failure{};
  ssize_t got = 0;
  do {
    got = ::read(error_read.get(), &failure, sizeof failure);
  } while (got < 0 && errno == EINTR);
  if (got != static_cast<ssize_t>(sizeof failure)) return {};
  int status = 0;
  ::waitpid(child, &status, 0);
  if (failure.stage == 'd') {
    return fail(ErrorKind::external, doing,
                "cannot enter " + request.working_directory.string() + ": " + std::strerror(failure.error));
  }
  return fail(ErrorKind::external, doing, std::strerror(failure.error),
              "check that " + request.argv.front() + " is installed and on PATH");
}

// A started child, watched until it and its process group are gone: feeds
// its input, passes its output on, ends the group on timeout or interrupt
// (SIGTERM, then SIGKILL after the grace), and reaps it.
class Supervision {
public:
  Supervision(const ProcessRequest& request, pid_t child, Clock::time_point started, ChildPipes& pipes)
      : request_(request), child_(child), started_(started), pipes_(pipes),
        unwritten_(request.input ? std::string_view(*request.input) : std::string_view()) {
    result_.pid = child;
    if (request.input && unwritten_.empty()) pipes_.input_write.reset(); // nothing to send: EOF at once
  }

  ProcessResult run() {
    for (;;) {
      const auto now = Clock::now();
      end_group_when_due(now);
      if (over(now)) {
        // Whatever still holds the pipe has left the group (or is a zombie
        // nobody reaps): take what is buffered and stop.
        drain_output();
        return result_;
      }
      exchange_io();
      reap();
    }
  }

private:
  void signal_group(int signal) {
    ::kill(-child_, signal);
    (signal == SIGKILL ? kill_sent_ : term_sent_) = Clock::now();
  }

  // SIGTERM to the group on interrupt, on timeout, or when the command is
  // over but something it started lingers (no build process outlives its
  // build); SIGKILL once the grace has passed.
  void end_group_when_due(Clock::time_point now) {
    if (!reaped_ && !term_sent_) {
      if (interrupt_signal != 0) {
        result_.ending = ProcessResult::Ending::interrupted;
        signal_group(SIGTERM);
      } else if (request_.timeout.count() > 0 && now >= started_ + request_.timeout) {
        result_.ending = ProcessResult::Ending::timed_out;
        signal_group(SIGTERM);
      } else if (request_.keep_going && !request_.keep_going()) {
        result_.ending = ProcessResult::Ending::stopped;
        signal_group(SIGTERM);
      }
    }
    group_alive_ = group_has_members(child_);
    if (reaped_ && group_alive_ && !term_sent_) signal_group(SIGTERM);
    if (term_sent_ && !kill_sent_ && now >= *term_sent_ + request_.kill_grace) signal_group(SIGKILL);
  }

  bool over(Clock::time_point now) const {
    return reaped_ && (!group_alive_ || (kill_sent_ && now >= *kill_sent_ + std::chrono::seconds(1)));
  }

  // One short poll (100 ms keeps the timeout and reaping prompt) over the
  // output and, while there is input left, the input pipe.
  void exchange_io() {
    std::array<pollfd, 2> entries{};
    nfds_t watched = 0;
    if (output_open_) entries[watched++] = {pipes_.output_read.get(), POLLIN, 0};
    if (pipes_.input_write.valid()) entries[watched++] = {pipes_.input_write.get(), POLLOUT, 0};
    if (watched == 0) {
      ::usleep(20'000);
      return;
    }
    if (::poll(entries.data(), watched, 100) <= 0) return;
    for (nfds_t i = 0; i < watched; ++i) {
      if (entries[i].revents == 0) continue;
      if (entries[i].fd == pipes_.input_write.get()) {
        feed_input();
      } else {
        read_output();
      }
    }
  }

  void feed_input() {
    const ssize_t n = ::write(pipes_.input_write.get(), unwritten_.data(), unwritten_.size());
    if (n > 0) unwritten_.remove_prefix(static_cast<std::size_t>(n));
    // All sent, or the child closed its stdin (EPIPE): either way we are done feeding.
    if (unwritten_.empty() || (n < 0 && errno != EINTR && errno != EAGAIN)) pipes_.input_write.reset();
  }

  void read_output() {
    const ssize_t n = ::read(pipes_.output_read.get(), buffer_.data(), buffer_.size());
    if (n > 0) pass_on(static_cast<std::size_t>(n));
    if (n == 0 || (n < 0 && errno != EINTR && errno != EAGAIN)) output_open_ = false;
  }

  // Reads what is available now without waiting.
  void drain_output() {
    pollfd entry{pipes_.output_read.get(), POLLIN, 0};
    while (::poll(&entry, 1, 0) > 0) {
      const ssize_t n = ::read(pipes_.output_read.get(), buffer_.data(), buffer_.size());
      if (n <= 0) return;
      pass_on(static_cast<std::size_t>(n));
    }
  }

  void pass_on(std::size_t size) {
    if (request_.on_output) request_.on_output({buffer_.data(), size});
  }

  // Reaps the command and any orphans of its group re-parented to us.
  void reap() {
    int status = 0;
    for (pid_t done = 0; (done = ::waitpid(-child_, &status, WNOHANG)) > 0;) {
      if (done != child_) continue;
      reaped_ = true;
      result_.elapsed = std::chrono::duration_cast<milliseconds>(Clock::now() - started_);
      if (WIFEXITED(status)) {
        result_.exit_code = WEXITSTATUS(status);
      } else if (WIFSIGNALED(status)) {
        result_.signal = WTERMSIG(status);
        if (result_.ending == ProcessResult::Ending::exited) result_.ending = ProcessResult::Ending::signaled;
      }
    }
  }

  const ProcessRequest& request_;
  const pid_t child_;
  const Clock::time_point started_;
  ChildPipes& pipes_;
  std::string_view unwritten_;
  ProcessResult result_;
  bool reaped_ = false;
  bool group_alive_ = true;
  bool output_open_ = true;
  std::optional<Clock::time_point> term_sent_;
  std::optional<Clock::time_point> kill_sent_;
  std::array<char, 8192> buffer_{};
};

class PosixProcessRunner final : public ProcessRunner {
public:
  Result<ProcessResult> run(const ProcessRequest& request) override;
};

Result<ProcessResult> PosixProcessRunner::run(const ProcessRequest& request) {
  if (request.argv.empty())
    return fail(ErrorKind::usage, "running the build command", "the command is empty");
  const std::string doing = "running " + request.argv.front();
  std::vector<std::string> words = request.argv; // stable storage for the char* array
  std::vector<char*> argv;
  argv.reserve(words.size() + 1);
  for (auto& word : words) argv.push_back(word.data());
  argv.push_back(nullptr);
  const std::string directory = request.working_directory.string();
  auto pipes = open_pipes(request, doing);
  if (!pipes) return std::unexpected(pipes.error());

  std::optional<SigpipeIgnored> sigpipe_ignored;
  if (request.input) sigpipe_ignored.emplace();
  const InterruptGuard interrupts;
  const SubreaperScope adopting(request.adopt_orphans);
  const pid_t parent = ::getpid();
  const auto started = Clock::now();
  const pid_t child = ::fork();
  if (child < 0) return fail(ErrorKind::failure, doing, std::string("fork: ") + std::strerror(errno));
  if (child == 0) {
    exec_child(directory.c_str(), argv.data(), pipes->input_read.get(), pipes->output_write.get(),
               pipes->error_write.get(), parent);
  }
  ::setpgid(child, child); // both sides set it, so no kill can race the child's own call
  pipes->output_write.reset();
  pipes->error_write.reset();
  pipes->input_read.reset();
  if (auto confirmed = confirm_started(child, pipes->error_read, request, doing); !confirmed) {
    return std::unexpected(confirmed.error());
  }
  return Supervision(request, child, started, *pipes).run();
}

} // namespace

std::string describe(const ProcessResult& result, std::chrono::milliseconds timeout) {
  switch (result.ending) {
  case ProcessResult::Ending::exited:
    return "exited with code " + std::to_string(result.exit_code);
  case ProcessResult::Ending::signaled:
    return "was killed by signal " + std::to_string(result.signal) + " (" + ::strsignal(result.signal) + ")";
  case ProcessResult::Ending::timed_out:
    return "timed out after " + util::format_duration(timeout) + "; its process group was ended";
  case ProcessResult::Ending::interrupted:
    return "was interrupted; its process group was ended";
  case ProcessResult::Ending::stopped:
    return "was ended by sp; its process group was ended";
  }
  return "ended";
}

std::unique_ptr<ProcessRunner> make_process_runner() { return std::make_unique<PosixProcessRunner>(); }

} // namespace sp::build
