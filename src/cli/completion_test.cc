#include "cli/completion.h"

#include <gtest/gtest.h>

namespace byline {
namespace {

// A small command line shaped like byline's: nested subcommands, flags,
// flags that take values, and a subcommand that takes its parent's flags.
class CompletionTest : public ::testing::Test {
 protected:
  void SetUp() override {
    CLI::App* make = app_.add_subcommand("make", "Make things");
    CLI::App* post = make->add_subcommand("post", "Make a 'post'");
    post->add_option("TITLE", title_);
    post->add_option("--date", value_);
    post->add_flag("--draft", flag_);
    CLI::App* list = app_.add_subcommand("list", "List");
    list->add_option("-s,--source", value_);
    list->add_subcommand("drafts", "Drafts")->fallthrough();
  }

  CLI::App app_{"test", "prog"};
  std::string title_, value_;
  bool flag_ = false;
};

TEST_F(CompletionTest, BashHasEveryCommandAndFlag) {
  std::string s = completion_script(app_, "bash");
  EXPECT_NE(s.find("\"prog make\"|\"prog make post\"|\"prog list\"|\"prog list drafts\")"),
            std::string::npos)
      << s;
  EXPECT_NE(s.find("\"prog\") words=\"make list -h --help\" ;;"), std::string::npos) << s;
  EXPECT_NE(s.find("\"prog make post\") words=\"-h --help --date --draft\" ;;"), std::string::npos)
      << s;
  // drafts passes its flags to list, so it completes list's too.
  EXPECT_NE(s.find("\"prog list drafts\") words=\"-h --help -s --source\" ;;"), std::string::npos)
      << s;
  // After a flag that takes a value, the shell completes file names.
  EXPECT_NE(s.find("\"prog make post --date\"|\"prog list -s\"|\"prog list --source\""),
            std::string::npos)
      << s;
  EXPECT_EQ(s.find("\"prog make post --draft\"|"), std::string::npos) << s;
  EXPECT_NE(s.find("complete -o default -F _prog_complete prog\n"), std::string::npos) << s;
}

TEST_F(CompletionTest, ZshDescribesSubcommands) {
  std::string s = completion_script(app_, "zsh");
  EXPECT_TRUE(s.starts_with("#compdef prog\n")) << s;
  EXPECT_NE(s.find("subcommands=('post:Make a '\\''post'\\''')"), std::string::npos) << s;
  EXPECT_NE(s.find("flags=(-h --help --date --draft)"), std::string::npos) << s;
  EXPECT_NE(s.find("compdef _prog prog\n"), std::string::npos) << s;
}

TEST_F(CompletionTest, OtherShellsGetNothing) { EXPECT_EQ(completion_script(app_, "fish"), ""); }

}  // namespace
}  // namespace byline
