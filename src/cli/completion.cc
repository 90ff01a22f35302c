// Both scripts work the same way: walk the words typed so far down the tree
// of subcommands to find the command being completed ("byline new post"),
// then offer that command's subcommands and flags. After a flag that takes
// a value, the shell completes file names. The tree is written into the
// script as one `case` arm per command.
#include "cli/completion.h"

#include "cli/command.h"

#include <algorithm>
#include <cstdio>
#include <memory>
#include <vector>

namespace byline {

namespace {

struct Node {
  std::string path;                                              // "byline new post"
  std::vector<std::pair<std::string, std::string>> subcommands;  // name, description
  std::vector<std::string> flags;                                // every spelling
  std::vector<std::string> value_flags;                          // those taking a value
};

void add_options(const CLI::App& app, Node* node) {
  for (const CLI::Option* opt : app.get_options()) {
    if (!opt->nonpositional()) continue;
    std::vector<std::string> names;
    for (const std::string& s : opt->get_snames()) names.push_back("-" + s);
    for (const std::string& l : opt->get_lnames()) names.push_back("--" + l);
    for (const std::string& name : names) {
      if (std::find(node->flags.begin(), node->flags.end(), name) != node->flags.end()) continue;
      node->flags.push_back(name);
      if (opt->get_expected_max() > 0) node->value_flags.push_back(name);
    }
  }
}

void collect(const CLI::App& app, const std::string& path, std::vector<Node>* nodes) {
  Node node;
  node.path = path;
  add_options(app, &node);
  // A subcommand that passes unknown flags to its parent takes the
  // parent's flags too (`byline list drafts -s SITE`).
  if (app.get_fallthrough() && app.get_parent()) add_options(*app.get_parent(), &node);
  std::vector<const CLI::App*> subs = app.get_subcommands([](const CLI::App*) { return true; });
  for (const CLI::App* sub : subs) {
    node.subcommands.emplace_back(sub->get_name(), sub->get_description());
  }
  nodes->push_back(std::move(node));
  for (const CLI::App* sub : subs) collect(*sub, path + " " + sub->get_name(), nodes);
}

std::string joined(const std::vector<std::string>& words, std::string_view sep) {
  std::string out;
  for (const std::string& w : words) out += (out.empty() ? "" : std::string(sep)) + w;
  return out;
}

std::vector<std::string> names(const Node& node) {
  std::vector<std::string> out;
  for (const auto& [name, description] : node.subcommands) out.push_back(name);
  return out;
}

// The `case` arm that recognises each subcommand while walking the words.
std::string command_paths(const std::vector<Node>& nodes) {
  std::vector<std::string> quoted;
  for (size_t i = 1; i < nodes.size(); ++i) quoted.push_back("\"" + nodes[i].path + "\"");
  return joined(quoted, "|");
}

// The flags (of any command) that take a value, one case pattern.
std::string value_flag_patterns(const std::vector<Node>& nodes) {
  std::vector<std::string> patterns;
  for (const Node& n : nodes) {
    for (const std::string& f : n.value_flags) patterns.push_back("\"" + n.path + " " + f + "\"");
  }
  return joined(patterns, "|");
}

// Descriptions go into zsh's single-quoted words: ' becomes '\''; ':'
// separates the name from the description, so a name's own is escaped.
std::string zsh_word(std::string_view name, std::string_view description) {
  std::string out = "'";
  for (char c : name) out += c == ':' ? std::string("\\:") : std::string(1, c);
  out += ':';
  for (char c : description) out += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return out + "'";
}

std::string bash_script(const std::string& prog, const std::vector<Node>& nodes) {
  std::string fn = "_" + prog + "_complete";
  std::string s = "# bash completion for " + prog + ", made by `" + prog +
                  " completion bash`.\n"
                  "# Load it with: source <(" +
                  prog + " completion bash)\n" + fn +
                  "() {\n"
                  "  local cur=\"${COMP_WORDS[COMP_CWORD]}\" cmd=\"" +
                  prog +
                  "\" i\n"
                  "  for ((i = 1; i < COMP_CWORD; i++)); do\n"
                  "    case \"$cmd ${COMP_WORDS[i]}\" in\n"
                  "      " +
                  command_paths(nodes) +
                  ") cmd=\"$cmd ${COMP_WORDS[i]}\" ;;\n"
                  "    esac\n"
                  "  done\n";
  std::string values = value_flag_patterns(nodes);
  if (!values.empty()) {
    s += "  if ((COMP_CWORD > 1)); then\n"
         "    case \"$cmd ${COMP_WORDS[COMP_CWORD-1]}\" in\n"
         "      " +
         values +
         ") COMPREPLY=(); return ;;\n"
         "    esac\n"
         "  fi\n";
  }
  s += "  local words=\"\"\n"
       "  case \"$cmd\" in\n";
  for (const Node& n : nodes) {
    std::vector<std::string> words = names(n);
    words.insert(words.end(), n.flags.begin(), n.flags.end());
    s += "    \"" + n.path + "\") words=\"" + joined(words, " ") + "\" ;;\n";
  }
  s += "  esac\n"
       "  COMPREPLY=($(compgen -W \"$words\" -- \"$cur\"))\n"
       "}\n"
       "complete -o default -F " +
       fn + " " + prog + "\n";
  return s;
}

std::string zsh_script(const std::string& prog, const std::vector<Node>& nodes) {
  std::string fn = "_" + prog;
  std::string s = "#compdef " + prog +
                  "\n"
                  "# zsh completion for " +
                  prog + ", made by `" + prog +
                  " completion zsh`.\n"
                  "# Save it as _" +
                  prog + " in a folder of $fpath, or: source <(" + prog + " completion zsh)\n" +
                  fn +
                  "() {\n"
                  "  local cmd=\"" +
                  prog +
                  "\" i\n"
                  "  for ((i = 2; i < CURRENT; i++)); do\n"
                  "    case \"$cmd ${words[i]}\" in\n"
                  "      (" +
                  command_paths(nodes) +
                  ") cmd=\"$cmd ${words[i]}\" ;;\n"
                  "    esac\n"
                  "  done\n";
  std::string values = value_flag_patterns(nodes);
  if (!values.empty()) {
    s += "  case \"$cmd ${words[CURRENT-1]}\" in\n"
         "    (" +
         values +
         ") _files; return ;;\n"
         "  esac\n";
  }
  s += "  local -a subcommands flags\n"
       "  case \"$cmd\" in\n";
  for (const Node& n : nodes) {
    std::vector<std::string> described;
    for (const auto& [name, description] : n.subcommands) {
      described.push_back(zsh_word(name, description));
    }
    s += "    (\"" + n.path +
         "\")\n"
         "      subcommands=(" +
         joined(described, " ") +
         ")\n"
         "      flags=(" +
         joined(n.flags, " ") + ") ;;\n";
  }
  s += "  esac\n"
       "  if [[ ${words[CURRENT]} == -* ]]; then\n"
       "    compadd -- $flags\n"
       "  elif (( ${#subcommands} )); then\n"
       "    _describe -t commands command subcommands\n"
       "  else\n"
       "    _files\n"
       "  fi\n"
       "}\n"
       "if [[ $zsh_eval_context[-1] == loadautofunc ]]; then\n"
       "  " +
       fn +
       " \"$@\"\n"
       "else\n"
       "  compdef " +
       fn + " " + prog +
       "\n"
       "fi\n";
  return s;
}

}  // namespace

std::string completion_script(const CLI::App& app, std::string_view shell) {
  std::vector<Node> nodes;
  collect(app, app.get_name(), &nodes);
  if (shell == "bash") return bash_script(app.get_name(), nodes);
  if (shell == "zsh") return zsh_script(app.get_name(), nodes);
  return "";
}

}  // namespace byline

namespace byline {

void add_completion_command(CLI::App& app, std::vector<Command>* commands) {
  auto shell = std::make_shared<std::string>();
  CLI::App* cmd = app.add_subcommand(
      "completion",
      "Print a shell completion script: source <(byline completion bash), or for zsh save "
      "`byline completion zsh` as _byline in a folder of $fpath");
  cmd->add_option("SHELL", *shell, "bash or zsh")
      ->required()
      ->check(CLI::IsMember({"bash", "zsh"}));
  commands->push_back({cmd, [&app, shell] {
                         std::fputs(completion_script(app, *shell).c_str(), stdout);
                         return 0;
                       }});
}

}  // namespace byline
