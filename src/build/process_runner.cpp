#include "sp/build/process.hpp"

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

class FileDescriptor {
public:
  explicit FileDescriptor(int fd = -1) : fd_(fd) {}
  FileDescriptor(const FileDescriptor&) = delete;
  FileDescriptor& operator=(const FileDescriptor&) = delete;
  ~FileDescriptor() { reset(); }
  int get() const { return fd_; }
  void reset() {
    if (fd_ >= 0) ::close(fd_);
    fd_ = -1;
  }

private:
  int fd_;
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

// Reads what is available now without waiting.
void drain(int fd, const ProcessRequest& request, std::array<char, 8192>& buffer) {
  pollfd entry{fd, POLLIN, 0};
  while (::poll(&entry, 1, 0) > 0) {
    const ssize_t n = ::read(fd, buffer.data(), buffer.size());
    if (n <= 0) return;
    if (request.on_output) request.on_output({buffer.data(), static_cast<std::size_t>(n)});
  }
}

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
  for (auto& word : words) argv.push_back(word.data());
  argv.push_back(nullptr);
  const std::string directory = request.working_directory.string();

  std::array<int, 2> output{-1, -1};
  std::array<int, 2> exec_error{-1, -1};
  if (::pipe2(output.data(), O_CLOEXEC) != 0) {
    return fail(ErrorKind::failure, doing, std::string("creating a pipe: ") + std::strerror(errno));
  }
  FileDescriptor output_read(output[0]), output_write(output[1]);
  if (::pipe2(exec_error.data(), O_CLOEXEC) != 0) {
    return fail(ErrorKind::failure, doing, std::string("creating a pipe: ") + std::strerror(errno));
  }
  FileDescriptor error_read(exec_error[0]), error_write(exec_error[1]);
  // The input pipe's write end is non-blocking and fed from the loop below,
  // between reads of the output: a child that fills its output pipe before
  // reading stdin, or never reads it, cannot deadlock us.
  std::array<int, 2> input{-1, -1};
  if (request.input && ::pipe2(input.data(), O_CLOEXEC) != 0) {
    return fail(ErrorKind::failure, doing, std::string("creating a pipe: ") + std::strerror(errno));
  }
  FileDescriptor input_read(input[0]), input_write(input[1]);
  if (request.input) ::fcntl(input_write.get(), F_SETFL, O_NONBLOCK);
  std::optional<SigpipeIgnored> sigpipe_ignored;
  if (request.input) sigpipe_ignored.emplace();
  std::string_view unwritten = request.input ? std::string_view(*request.input) : std::string_view();

  InterruptGuard interrupts;
  const SubreaperScope adopting(request.adopt_orphans);
  const pid_t parent = ::getpid();
  const auto started = Clock::now();
  const pid_t child = ::fork();
  if (child < 0) return fail(ErrorKind::failure, doing, std::string("fork: ") + std::strerror(errno));
  if (child == 0) {
    exec_child(directory.c_str(), argv.data(), input_read.get(), output_write.get(), error_write.get(),
               parent);
  }
  ::setpgid(child, child); // both sides set it, so no kill can race the child's own call
  output_write.reset();
  error_write.reset();
  input_read.reset();
  if (request.input && unwritten.empty()) input_write.reset(); // nothing to send: EOF at once

  // The exec-error pipe closes on a successful exec; data means it failed.
  StartFailure failure{};
  ssize_t got = 0;
  do {
    got = ::read(error_read.get(), &failure, sizeof failure);
  } while (got < 0 && errno == EINTR);
  if (got == static_cast<ssize_t>(sizeof failure)) {
    int status = 0;
    ::waitpid(child, &status, 0);
    if (failure.stage == 'd') {
      return fail(ErrorKind::external, doing,
                  "cannot enter " + directory + ": " + std::strerror(failure.error));
    }
    return fail(ErrorKind::external, doing, std::strerror(failure.error),
                "check that " + request.argv.front() + " is installed and on PATH");
  }

  ProcessResult result;
  result.pid = child;
  bool reaped = false;
  bool output_open = true;
  std::optional<Clock::time_point> term_sent;
  std::optional<Clock::time_point> kill_sent;
  const auto deadline = started + request.timeout;
  std::array<char, 8192> buffer{};

  const auto signal_group = [&](int signal) {
    ::kill(-child, signal);
    (signal == SIGKILL ? kill_sent : term_sent) = Clock::now();
  };

  for (;;) {
    const auto now = Clock::now();
    if (!reaped && !term_sent) {
      if (interrupt_signal != 0) {
        result.ending = ProcessResult::Ending::interrupted;
        signal_group(SIGTERM);
      } else if (request.timeout.count() > 0 && now >= deadline) {
        result.ending = ProcessResult::Ending::timed_out;
        signal_group(SIGTERM);
      }
    }
    // The command is over but something it started lingers in its group:
    // end it too, so no build process outlives the build.
    const bool group_alive = group_has_members(child);
    if (reaped && group_alive && !term_sent) signal_group(SIGTERM);
    if (term_sent && !kill_sent && now >= *term_sent + request.kill_grace) signal_group(SIGKILL);

    if (reaped && (!group_alive || (kill_sent && now >= *kill_sent + std::chrono::seconds(1)))) {
      // Whatever still holds the pipe now has left the group (or is a zombie
      // nobody reaps): take what is buffered and stop.
      drain(output_read.get(), request, buffer);
      break;
    }

    std::array<pollfd, 2> entries{};
    nfds_t watched = 0;
    if (output_open) entries[watched++] = {output_read.get(), POLLIN, 0};
    if (input_write.get() >= 0) entries[watched++] = {input_write.get(), POLLOUT, 0};
    if (watched == 0) {
      ::usleep(20'000);
    } else if (::poll(entries.data(), watched, 100) > 0) { // short ticks keep the timeout and reaping prompt
      for (nfds_t i = 0; i < watched; ++i) {
        if (entries[i].revents == 0) continue;
        if (entries[i].fd == input_write.get()) {
          const ssize_t n = ::write(input_write.get(), unwritten.data(), unwritten.size());
          if (n > 0) unwritten.remove_prefix(static_cast<std::size_t>(n));
          // All sent, or the child closed its stdin (EPIPE): either way we are done feeding.
          if (unwritten.empty() || (n < 0 && errno != EINTR && errno != EAGAIN)) input_write.reset();
          continue;
        }
        const ssize_t n = ::read(output_read.get(), buffer.data(), buffer.size());
        if (n > 0 && request.on_output) request.on_output({buffer.data(), static_cast<std::size_t>(n)});
        if (n == 0 || (n < 0 && errno != EINTR && errno != EAGAIN)) output_open = false;
      }
    }
    // Reaps the command and any orphans of its group re-parented to us.
    int status = 0;
    for (pid_t done = 0; (done = ::waitpid(-child, &status, WNOHANG)) > 0;) {
      if (done != child) continue;
      reaped = true;
      result.elapsed = std::chrono::duration_cast<milliseconds>(Clock::now() - started);
      if (WIFEXITED(status)) {
        result.exit_code = WEXITSTATUS(status);
      } else if (WIFSIGNALED(status)) {
        result.signal = WTERMSIG(status);
        if (result.ending == ProcessResult::Ending::exited) result.ending = ProcessResult::Ending::signaled;
      }
    }
  }
  return result;
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
  }
  return "ended";
}

std::unique_ptr<ProcessRunner> make_process_runner() { return std::make_unique<PosixProcessRunner>(); }

} // namespace sp::build
