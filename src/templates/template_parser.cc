// The parser for Jinja2 templates, over template_lexer.h's tokens. The
// grammar and operator precedence follow Jinja2's parser so that
// expressions group the same way (including its quirks, such as `-x|f`
// filtering the negation).
#include "templates/template_parser.h"

#include "base/strings.h"
#include "templates/template_lexer.h"
#include "templates/template_methods.h"

namespace byline {
namespace {

class Parser {
 public:
  Parser(std::vector<TemplateToken> tokens, Template* tpl) : toks_(std::move(tokens)), tpl_(tpl) {}

  void parse() {
    tpl_->body = parse_body({}, "");
    if (cur().type != Tok::kEof) {
      // parse_body stopped at an end tag nothing opened.
      const TemplateToken& t = peek(1);
      throw TemplateSyntaxError{t.offset, "unexpected '" + t.text + "': no open block to close"};
    }
  }

 private:
  using Body = std::vector<std::unique_ptr<Stmt>>;

  const TemplateToken& cur() const { return toks_[pos_]; }
  const TemplateToken& peek(size_t k) const { return toks_[std::min(pos_ + k, toks_.size() - 1)]; }
  void advance() {
    if (pos_ + 1 < toks_.size()) ++pos_;
  }
  bool is_op(const char* op) const { return cur().type == Tok::kOp && cur().text == op; }
  bool is_name(const char* name) const { return cur().type == Tok::kName && cur().text == name; }
  bool skip_op(const char* op) {
    if (!is_op(op)) return false;
    advance();
    return true;
  }
  bool skip_name(const char* name) {
    if (!is_name(name)) return false;
    advance();
    return true;
  }
  [[noreturn]] void fail(const std::string& msg) const {
    throw TemplateSyntaxError{cur().offset, msg};
  }
  void expect_op(const char* op, const std::string& context) {
    if (!skip_op(op))
      fail("expected '" + std::string(op) + "' " + context + ", found " + describe(cur()));
  }
  std::string expect_name(const std::string& what) {
    if (cur().type != Tok::kName) fail("expected " + what + ", found " + describe(cur()));
    std::string s = cur().text;
    advance();
    return s;
  }
  void expect_block_end(const std::string& after) {
    if (cur().type != Tok::kBlockEnd) fail("expected '%}' after '" + after + "'");
    advance();
  }

  // Parses template content until one of `end_tags` opens a tag (the
  // parser is then left on that tag's name) or the end of the template.
  Body parse_body(const std::vector<std::string>& end_tags, const std::string& opener,
                  size_t opener_offset = 0) {
    Body body;
    while (true) {
      const TemplateToken& t = cur();
      if (t.type == Tok::kEof) {
        if (end_tags.empty()) return body;
        fail("unexpected end of template: expected " + quoted_list(end_tags) + " to close '" +
             opener + "' opened at line " + std::to_string(line_at(opener_offset)));
      }
      if (t.type == Tok::kData) {
        auto s = std::make_unique<Stmt>();
        s->kind = StmtKind::kOutput;
        s->offset = t.offset;
        s->text = t.text;
        body.push_back(std::move(s));
        advance();
        continue;
      }
      if (t.type == Tok::kVarBegin) {
        body.push_back(parse_print());
        continue;
      }
      if (t.type == Tok::kBlockBegin) {
        if (ends_body(end_tags, opener, opener_offset)) return body;
        advance();
        body.push_back(parse_statement());
        continue;
      }
      fail("unexpected " + describe(t));
    }
  }

  int line_at(size_t offset) const {
    int line, col;
    line_and_column(tpl_->source, offset, &line, &col);
    return line;
  }

  // {{ expression }}
  std::unique_ptr<Stmt> parse_print() {
    auto s = std::make_unique<Stmt>();
    s->kind = StmtKind::kPrint;
    s->offset = cur().offset;
    advance();
    s->expr = parse_tuple(true, false);
    if (cur().type != Tok::kVarEnd)
      fail("expected '}}' after the expression, found " + describe(cur()));
    advance();
    return s;
  }

  // At a '{%': whether its tag ends the body being parsed (then the parser
  // is left on the tag's name when it is one of end_tags). An end tag or
  // an unknown tag that cannot be here is an error naming the opener.
  bool ends_body(const std::vector<std::string>& end_tags, const std::string& opener,
                 size_t opener_offset) {
    const TemplateToken& name = peek(1);
    if (name.type != Tok::kName) {
      advance();
      fail("expected a tag name after '{%', found " + describe(cur()));
    }
    for (const std::string& end : end_tags)
      if (name.text == end) {
        advance();
        return true;
      }
    if (end_tags.empty()) return is_end_tag(name.text);
    if (is_end_tag(name.text) || !is_known_tag(name.text)) {
      advance();
      fail(std::string(is_end_tag(name.text) ? "unexpected '" : "unknown tag '") + name.text +
           "': expected " + quoted_list(end_tags) + " to close '" + opener + "' opened at line " +
           std::to_string(line_at(opener_offset)));
    }
    return false;
  }

  static std::string quoted_list(const std::vector<std::string>& names) {
    std::string want;
    for (size_t i = 0; i < names.size(); ++i) {
      if (i) want += i + 1 == names.size() ? " or " : ", ";
      want += "'" + names[i] + "'";
    }
    return want;
  }

  static bool is_known_tag(const std::string& n) {
    return n == "raw" || statement_parser(n);  // raw blocks are the lexer's
  }

  static bool is_end_tag(const std::string& n) {
    return n.starts_with("end") || n == "else" || n == "elif";
  }

  // Parses one body that must end with `end`, consuming the end tag.
  Body parse_block_body(const std::string& end, const std::string& opener, size_t offset) {
    Body b = parse_body({end}, opener, offset);
    advance();  // the end tag name
    expect_block_end(end);
    return b;
  }

  // The statements, one parser each; they fill in the Stmt that
  // parse_statement() made, with the tag name already read.
  using StmtParser = void (Parser::*)(Stmt*);
  static StmtParser statement_parser(std::string_view tag) {
    static constexpr struct {
      const char* tag;
      StmtParser parse;
    } kParsers[] = {
        {"if", &Parser::parse_if},
        {"for", &Parser::parse_for},
        {"set", &Parser::parse_set},
        {"block", &Parser::parse_block},
        {"extends", &Parser::parse_extends},
        {"include", &Parser::parse_include},
        {"import", &Parser::parse_import},
        {"from", &Parser::parse_from_import},
        {"macro", &Parser::parse_macro},
        {"call", &Parser::parse_call_block},
        {"filter", &Parser::parse_filter_block},
        {"with", &Parser::parse_with},
        {"autoescape", &Parser::parse_autoescape},
    };
    for (const auto& p : kParsers)
      if (tag == p.tag) return p.parse;
    return nullptr;
  }

  std::unique_ptr<Stmt> parse_statement() {
    NestingGuard guard(this, "statement");
    const TemplateToken& t = cur();
    auto s = std::make_unique<Stmt>();
    s->offset = toks_[pos_ - 1].offset;
    advance();
    if (StmtParser parse = statement_parser(t.text)) {
      (this->*parse)(s.get());
      return s;
    }
    if (is_end_tag(t.text))
      throw TemplateSyntaxError{t.offset, "unexpected '" + t.text + "': no open block to close"};
    throw TemplateSyntaxError{t.offset, "unknown tag '" + t.text + "'"};
  }

  void parse_if(Stmt* s) {
    const size_t offset = s->offset;
    s->kind = StmtKind::kIf;
    s->expr = parse_tuple(false, false);
    expect_block_end("if");
    Stmt* node = s;
    while (true) {
      node->body = parse_body({"elif", "else", "endif"}, "if", offset);
      std::string which = cur().text;
      advance();
      if (which == "elif") {
        auto e = std::make_unique<Stmt>();
        e->kind = StmtKind::kIf;
        e->offset = toks_[pos_ - 2].offset;
        e->expr = parse_tuple(false, false);
        expect_block_end("elif");
        Stmt* next = e.get();
        node->else_body.push_back(std::move(e));
        node = next;
        continue;
      }
      if (which == "else") {
        expect_block_end("else");
        node->else_body = parse_block_body("endif", "if", offset);
        break;
      }
      expect_block_end("endif");
      break;
    }
  }

  void parse_for(Stmt* s) {
    const size_t offset = s->offset;
    s->kind = StmtKind::kFor;
    s->target = parse_assign_target(true, {"in"});
    if (!skip_name("in")) fail("expected 'in' after the loop variable, found " + describe(cur()));
    s->expr = parse_tuple(false, false, {"recursive"});
    share_literal(*s->expr, LiteralUse::kItemsRead);
    if (skip_name("if")) s->expr2 = parse_expression(true);
    s->recursive = skip_name("recursive");
    expect_block_end("for");
    s->body = parse_body({"endfor", "else"}, "for", offset);
    std::string which = cur().text;
    advance();
    if (which == "else") {
      expect_block_end("else");
      s->else_body = parse_block_body("endfor", "for", offset);
    } else {
      expect_block_end("endfor");
    }
    check_loop_unassigned(*s);
  }

  // Jinja2 refuses to compile a loop that assigns `loop` anywhere inside
  // it: its target, or a `set` or `for` in its bodies, macros and blocks
  // included (`with` and parameters may use the name).
  static void check_loop_unassigned(const Stmt& loop) {
    auto check = [](const Stmt& s) {
      bool assigns =
          s.kind == StmtKind::kFor || s.kind == StmtKind::kSet || s.kind == StmtKind::kSetBlock;
      if (!assigns || !s.target) return;
      const Expr& t = *s.target;
      auto is_loop = [](const Expr& e) { return e.kind == ExprKind::kName && e.name == "loop"; };
      const Expr* bad = is_loop(t) ? &t : nullptr;
      if (t.kind == ExprKind::kTuple)
        for (const auto& c : t.children)
          if (!bad && is_loop(*c)) bad = c.get();
      if (bad)
        throw TemplateSyntaxError{bad->offset,
                                  "Can't assign to special loop variable in for-loop target"};
    };
    check(loop);
    for_each_stmt(loop.body, check);
    for_each_stmt(loop.else_body, check);
  }

  // Calls f on every statement of `body` and, depth first, of the bodies
  // inside them (elif chains live in else_body).
  template <typename F>
  static void for_each_stmt(const Body& body, const F& f) {
    for (const auto& s : body) {
      f(*s);
      for_each_stmt(s->body, f);
      for_each_stmt(s->else_body, f);
    }
  }

  void parse_set(Stmt* s) {
    const size_t offset = s->offset;
    s->target = parse_assign_target(true, {}, true);
    if (skip_op("=")) {
      s->kind = StmtKind::kSet;
      // Jinja2 reads a full expression here, inline if/else included.
      s->expr = parse_tuple(true, true);
      expect_block_end("set");
      return;
    }
    s->kind = StmtKind::kSetBlock;
    if (s->target->kind == ExprKind::kTuple) fail("expected '=' after the names to assign");
    if (is_op("|")) s->filter = parse_filter_chain(nullptr);
    expect_block_end("set");
    s->body = parse_block_body("endset", "set", offset);
  }

  void parse_block(Stmt* s) {
    const size_t offset = s->offset;
    s->kind = StmtKind::kBlock;
    s->text = expect_name("a block name");
    s->scoped = skip_name("scoped");
    s->required = skip_name("required");
    expect_block_end("block");
    if (tpl_->blocks.count(s->text))
      throw TemplateSyntaxError{offset, "block '" + s->text + "' defined twice"};
    s->body = parse_body({"endblock"}, "block", offset);
    advance();
    if (cur().type == Tok::kName) {
      if (cur().text != s->text)
        fail("expected '%}' or '" + s->text + "' after 'endblock', found '" + cur().text + "'");
      advance();
    }
    expect_block_end("endblock");
    if (s->required) check_required_body(*s);
    tpl_->blocks[s->text] = s;
  }

  // A required block is only a placeholder: Jinja2 refuses one with
  // content (comments leave no statement behind).
  static void check_required_body(const Stmt& block) {
    for (const auto& s : block.body)
      if (s->kind != StmtKind::kOutput ||
          s->text.find_first_not_of(" \t\n\r\f\v") != std::string::npos)
        throw TemplateSyntaxError{s->offset,
                                  "Required blocks can only contain comments or whitespace"};
  }

  void parse_extends(Stmt* s) {
    s->kind = StmtKind::kExtends;
    s->expr = parse_expression(true);
    expect_block_end("extends");
  }

  void parse_include(Stmt* s) {
    s->kind = StmtKind::kInclude;
    s->expr = parse_expression(true);
    s->with_context = true;
    if (is_name("ignore") && peek(1).type == Tok::kName && peek(1).text == "missing") {
      advance();
      advance();
      s->ignore_missing = true;
    }
    parse_context_modifier(s, "include");
    expect_block_end("include");
  }

  void parse_import(Stmt* s) {
    s->kind = StmtKind::kImport;
    s->expr = parse_expression(true);
    if (!skip_name("as")) fail("expected 'as' after the template name, found " + describe(cur()));
    s->text = expect_name("a name to import as");
    parse_context_modifier(s, "import");
    expect_block_end("import");
  }

  void parse_from_import(Stmt* s) {
    s->kind = StmtKind::kFromImport;
    s->expr = parse_expression(true);
    if (!skip_name("import"))
      fail("expected 'import' after the template name, found " + describe(cur()));
    while (true) {
      if (!s->names.empty() && !skip_op(",")) break;
      if ((is_name("with") || is_name("without")) && peek(1).type == Tok::kName &&
          peek(1).text == "context")
        break;
      if (cur().type != Tok::kName) {
        if (!s->names.empty()) break;
        fail("expected a name to import, found " + describe(cur()));
      }
      std::string name = cur().text;
      if (name.starts_with("_")) fail("names starting with an underscore cannot be imported");
      advance();
      std::string alias = name;
      if (skip_name("as")) alias = expect_name("a name after 'as'");
      s->names.emplace_back(name, alias);
    }
    parse_context_modifier(s, "import");
    expect_block_end("import");
  }

  void parse_macro(Stmt* s) {
    const size_t offset = s->offset;
    s->kind = StmtKind::kMacro;
    s->text = expect_name("a macro name");
    parse_signature(s);
    expect_block_end("macro");
    s->body = parse_block_body("endmacro", "macro", offset);
    check_caller_parameter(*s);
  }

  void parse_call_block(Stmt* s) {
    const size_t offset = s->offset;
    s->kind = StmtKind::kCallBlock;
    if (is_op("(")) parse_signature(s);
    s->expr = parse_expression(true);
    if (s->expr->kind != ExprKind::kCall)
      throw TemplateSyntaxError{s->expr->offset, "expected a call after 'call'"};
    expect_block_end("call");
    s->body = parse_block_body("endcall", "call", offset);
    check_caller_parameter(*s);
  }

  void parse_filter_block(Stmt* s) {
    const size_t offset = s->offset;
    s->kind = StmtKind::kFilterBlock;
    s->filter = parse_filter_chain(nullptr, true);
    expect_block_end("filter");
    s->body = parse_block_body("endfilter", "filter", offset);
  }

  void parse_with(Stmt* s) {
    const size_t offset = s->offset;
    s->kind = StmtKind::kWith;
    while (cur().type != Tok::kBlockEnd) {
      if (!s->targets.empty()) expect_op(",", "between assignments in 'with'");
      s->targets.push_back(parse_assign_target(true, {}));
      expect_op("=", "after the name in 'with'");
      s->values.push_back(parse_expression(true));
    }
    expect_block_end("with");
    s->body = parse_block_body("endwith", "with", offset);
  }

  void parse_autoescape(Stmt* s) {
    const size_t offset = s->offset;
    s->kind = StmtKind::kAutoescape;
    s->expr = parse_expression(true);
    expect_block_end("autoescape");
    s->body = parse_block_body("endautoescape", "autoescape", offset);
  }

  void parse_context_modifier(Stmt* s, const std::string& tag) {
    if ((is_name("with") || is_name("without")) && peek(1).type == Tok::kName &&
        peek(1).text == "context") {
      s->with_context = is_name("with");
      advance();
      advance();
    } else if (cur().type != Tok::kBlockEnd) {
      fail("expected '%}' after '" + tag + "'");
    }
  }

  // `(a, b=1)`: as in Jinja2, no trailing comma, and no parameter
  // without a default after one with a default.
  void parse_signature(Stmt* s) {
    expect_op("(", "before the parameters");
    while (!is_op(")")) {
      if (!s->params.empty()) expect_op(",", "between parameters");
      size_t at = cur().offset;
      s->params.push_back(expect_name("a parameter name"));
      if (s->params.back() == "caller") s->caller_param = true;
      if (skip_op("=")) {
        s->defaults.push_back(parse_expression(true));
      } else {
        if (s->defaults.size() > 0 && s->defaults.back())
          throw TemplateSyntaxError{at, "non-default argument follows default argument"};
        s->defaults.push_back(nullptr);
      }
    }
    advance();
  }

  // Jinja2 refuses a macro or call block whose body uses `caller` and that
  // declares a `caller` parameter without a default.
  static void check_caller_parameter(const Stmt& s) {
    for (size_t i = 0; i < s.params.size(); ++i)
      if (s.params[i] == "caller" && !s.defaults[i] && body_reads(s.body, "caller"))
        throw TemplateSyntaxError{s.offset,
                                  "When defining macros or call blocks the special \"caller\" "
                                  "argument must be omitted or be given a default."};
  }

  // Whether an expression in `body` reads the variable `name`, not
  // looking into blocks (Jinja2's check does not either).
  static bool body_reads(const Body& body, std::string_view name) {
    for (const auto& s : body) {
      if (s->kind == StmtKind::kBlock) continue;
      for (const Expr* e : {s->expr.get(), s->expr2.get(), s->filter.get()})
        if (e && expr_reads(*e, name)) return true;
      for (const auto* list : {&s->defaults, &s->values})
        for (const auto& e : *list)
          if (e && expr_reads(*e, name)) return true;
      if (body_reads(s->body, name) || body_reads(s->else_body, name)) return true;
    }
    return false;
  }

  static bool expr_reads(const Expr& e, std::string_view name) {
    if (e.kind == ExprKind::kName && e.name == name) return true;
    for (const auto& c : e.children)
      if (c && expr_reads(*c, name)) return true;
    for (const auto& [k, v] : e.kwargs)
      if (expr_reads(*v, name)) return true;
    return (e.star_args && expr_reads(*e.star_args, name)) ||
           (e.star_kwargs && expr_reads(*e.star_kwargs, name));
  }

  std::unique_ptr<Expr> make(ExprKind k, size_t offset) {
    auto e = std::make_unique<Expr>();
    e->kind = k;
    e->offset = offset;
    return e;
  }

  // A list, tuple or dict written with literals only (["<p>", "<h1"]) is
  // built once, here, instead of on every evaluation. One value serves
  // every render, so it must never change: where it holds a list or dict,
  // which a method could change, each evaluation copies it
  // (ExprKind::kFreshLiteral), unless share_literal() finds the place
  // cannot let a method reach it.
  static std::unique_ptr<Expr> fold_constant(std::unique_ptr<Expr> e) {
    for (const auto& c : e->children)
      if (c->kind != ExprKind::kLiteral && c->kind != ExprKind::kFreshLiteral) return e;
    auto folded = std::make_unique<Expr>();
    folded->kind = ExprKind::kLiteral;
    folded->offset = e->offset;
    folded->depth = e->depth;  // the value nests as deep as the display did
    if (e->kind == ExprKind::kDict) {
      TValue::Dict items;
      for (size_t i = 0; i + 1 < e->children.size(); i += 2) {
        dict_assign(items, e->children[i]->value, e->children[i + 1]->value);
      }
      folded->value = TValue::dict(std::move(items)).owned_by(TValue::kLiteralOwner);
    } else {
      TValue::List items;
      items.reserve(e->children.size());
      for (const auto& c : e->children) items.push_back(c->value);
      folded->value = TValue::list(std::move(items), e->kind == ExprKind::kTuple)
                          .owned_by(TValue::kLiteralOwner);
    }
    if (holds_mutable(folded->value)) folded->kind = ExprKind::kFreshLiteral;
    return folded;
  }

  // A literal compared (`x in ["a", "b"]`), or looped over or subscripted
  // when what that yields is no list or dict (`for x in [1, 2]`,
  // `["Jan", "Feb"][m]`), is only read: its one value can serve every
  // evaluation, uncopied.
  enum class LiteralUse { kCompared, kItemsRead };
  static void share_literal(Expr& e, LiteralUse use) {
    if (e.kind != ExprKind::kFreshLiteral) return;
    if (use == LiteralUse::kItemsRead) {
      const TValue& v = e.value;
      if (v.is_dict()) {
        for (const auto& [k, val] : v.as_dict())
          if (holds_mutable(k) || holds_mutable(val)) return;
      } else {
        for (const TValue& item : v.as_list())
          if (holds_mutable(item)) return;
      }
    }
    e.kind = ExprKind::kLiteral;
  }

  std::unique_ptr<Expr> parse_assign_target(bool with_tuple,
                                            const std::vector<std::string>& end_names,
                                            bool with_namespace = false) {
    std::unique_ptr<Expr> target;
    if (with_tuple) {
      size_t offset = cur().offset;
      std::vector<std::unique_ptr<Expr>> items;
      bool is_tuple = false;
      while (true) {
        if (!items.empty()) {
          if (!skip_op(",")) break;
          is_tuple = true;
        }
        if (cur().type == Tok::kBlockEnd || is_op("=") || is_op(")")) break;
        bool stop = false;
        for (const auto& n : end_names)
          if (is_name(n.c_str())) stop = true;
        if (stop) break;
        items.push_back(parse_target_item(with_namespace));
        if (is_op(",")) is_tuple = true;
      }
      if (items.empty()) fail("expected a name to assign to, found " + describe(cur()));
      if (!is_tuple) {
        target = std::move(items[0]);
      } else {
        target = make(ExprKind::kTuple, offset);
        target->children = std::move(items);
        nest(*target);
      }
    } else {
      target = parse_target_item(with_namespace);
    }
    check_assignable(*target);
    return target;
  }

  // One name to assign to; in `set` also a namespace attribute (`ns.a`,
  // alone or in a tuple: `set ns.a, ns.b = 1, 2`), Jinja2's NSRef.
  std::unique_ptr<Expr> parse_target_item(bool with_namespace) {
    if (!with_namespace || cur().type != Tok::kName || peek(1).type != Tok::kOp ||
        peek(1).text != "." || is_constant_name(cur().text))
      return parse_primary();
    auto e = make(ExprKind::kGetattr, cur().offset);
    auto n = make(ExprKind::kName, cur().offset);
    n->name = cur().text;
    advance();
    advance();
    e->name = expect_name("an attribute name");
    e->namespace_ref = true;
    e->children.push_back(std::move(n));
    nest(*e);
    return e;
  }

  static bool is_constant_name(std::string_view n) {
    return n == "true" || n == "false" || n == "none" || n == "True" || n == "False" || n == "None";
  }

  void check_assignable(const Expr& e) {
    if (e.kind == ExprKind::kName) {
      if (is_constant_name(e.name))
        throw TemplateSyntaxError{e.offset, "cannot assign to '" + e.name + "'"};
      return;
    }
    if (e.kind == ExprKind::kGetattr && e.namespace_ref) return;
    if (e.kind == ExprKind::kTuple) {
      for (const auto& c : e.children) check_assignable(*c);
      return;
    }
    if (e.kind == ExprKind::kLiteral && !e.name.empty())
      throw TemplateSyntaxError{e.offset, "cannot assign to '" + e.name + "'"};
    throw TemplateSyntaxError{e.offset, "cannot assign to this expression"};
  }

  bool is_tuple_end(const std::vector<std::string>& extra) const {
    const TemplateToken& t = cur();
    if (t.type == Tok::kVarEnd || t.type == Tok::kBlockEnd || t.type == Tok::kEof) return true;
    if (t.type == Tok::kOp && t.text == ")") return true;
    for (const auto& n : extra)
      if (t.type == Tok::kName && t.text == n) return true;
    return false;
  }

  std::unique_ptr<Expr> parse_tuple(bool with_condexpr, bool explicit_parens,
                                    const std::vector<std::string>& extra_end = {}) {
    size_t offset = cur().offset;
    std::vector<std::unique_ptr<Expr>> args;
    bool is_tuple = false;
    while (true) {
      if (!args.empty()) expect_op(",", "between tuple items");
      if (is_tuple_end(extra_end)) break;
      args.push_back(parse_expression(with_condexpr));
      if (is_op(","))
        is_tuple = true;
      else
        break;
    }
    if (!is_tuple) {
      if (!args.empty()) return std::move(args[0]);
      if (!explicit_parens) fail("expected an expression, found " + describe(cur()));
    }
    auto e = make(ExprKind::kTuple, offset);
    e->children = std::move(args);
    nest(*e);
    return fold_constant(std::move(e));
  }

  std::unique_ptr<Expr> parse_expression(bool with_condexpr) {
    return with_condexpr ? parse_condexpr() : parse_or();
  }

  std::unique_ptr<Expr> parse_condexpr() {
    NestingGuard guard(this, "expression");
    auto e1 = parse_or();
    while (is_name("if")) {
      size_t offset = cur().offset;
      advance();
      auto e2 = parse_or();
      std::unique_ptr<Expr> e3;
      if (skip_name("else")) e3 = parse_condexpr();
      auto c = make(ExprKind::kCondExpr, offset);
      c->children.push_back(std::move(e1));
      c->children.push_back(std::move(e2));
      c->children.push_back(std::move(e3));
      nest(*c);
      e1 = std::move(c);
    }
    return e1;
  }

  // Binary nodes are located at their operator, where an error points.
  std::unique_ptr<Expr> binary(ExprKind k, std::unique_ptr<Expr> l, std::unique_ptr<Expr> r,
                               size_t offset = std::string::npos) {
    auto e = make(k, offset == std::string::npos ? l->offset : offset);
    e->children.push_back(std::move(l));
    e->children.push_back(std::move(r));
    nest(*e);
    return e;
  }

  std::unique_ptr<Expr> arithmetic(BinaryOp op, std::unique_ptr<Expr> l, std::unique_ptr<Expr> r,
                                   size_t offset) {
    auto e = binary(ExprKind::kBinary, std::move(l), std::move(r), offset);
    e->binary_op = op;
    return e;
  }

  std::unique_ptr<Expr> parse_or() {
    auto l = parse_and();
    while (skip_name("or")) l = binary(ExprKind::kOr, std::move(l), parse_and());
    return l;
  }
  std::unique_ptr<Expr> parse_and() {
    auto l = parse_not();
    while (skip_name("and")) l = binary(ExprKind::kAnd, std::move(l), parse_not());
    return l;
  }
  std::unique_ptr<Expr> parse_not() {
    NestingGuard guard(this, "expression");
    if (is_name("not")) {
      auto e = make(ExprKind::kNot, cur().offset);
      advance();
      e->children.push_back(parse_not());
      nest(*e);
      return e;
    }
    return parse_compare();
  }
  std::unique_ptr<Expr> parse_compare() {
    auto first = parse_math1();
    std::unique_ptr<Expr> cmp;
    while (true) {
      CompareOp op;
      if (is_op("==")) {
        op = CompareOp::kEq;
      } else if (is_op("!=")) {
        op = CompareOp::kNe;
      } else if (is_op("<")) {
        op = CompareOp::kLt;
      } else if (is_op("<=")) {
        op = CompareOp::kLe;
      } else if (is_op(">")) {
        op = CompareOp::kGt;
      } else if (is_op(">=")) {
        op = CompareOp::kGe;
      } else if (is_name("in")) {
        op = CompareOp::kIn;
      } else if (is_name("not") && peek(1).type == Tok::kName && peek(1).text == "in") {
        op = CompareOp::kNotIn;
        advance();
      } else {
        break;
      }
      advance();
      if (!cmp) {
        cmp = make(ExprKind::kCompare, first->offset);
        cmp->children.push_back(std::move(first));
      }
      cmp->compare_ops.push_back(op);
      cmp->children.push_back(parse_math1());
    }
    if (!cmp) return first;
    nest(*cmp);
    for (auto& c : cmp->children) share_literal(*c, LiteralUse::kCompared);
    return cmp;
  }
  std::unique_ptr<Expr> parse_math1() {
    auto l = parse_concat();
    while (is_op("+") || is_op("-")) {
      BinaryOp op = is_op("+") ? BinaryOp::kAdd : BinaryOp::kSub;
      size_t at = cur().offset;
      advance();
      l = arithmetic(op, std::move(l), parse_concat(), at);
    }
    return l;
  }
  std::unique_ptr<Expr> parse_concat() {
    auto first = parse_math2();
    if (!is_op("~")) return first;
    auto e = make(ExprKind::kConcat, first->offset);
    e->children.push_back(std::move(first));
    while (skip_op("~")) e->children.push_back(parse_math2());
    nest(*e);
    return e;
  }
  std::unique_ptr<Expr> parse_math2() {
    auto l = parse_pow();
    while (is_op("*") || is_op("/") || is_op("//") || is_op("%")) {
      BinaryOp op = is_op("*")   ? BinaryOp::kMul
                    : is_op("/") ? BinaryOp::kDiv
                    : is_op("%") ? BinaryOp::kMod
                                 : BinaryOp::kFloorDiv;
      size_t at = cur().offset;
      advance();
      l = arithmetic(op, std::move(l), parse_pow(), at);
    }
    return l;
  }
  std::unique_ptr<Expr> parse_pow() {
    auto l = parse_unary(true);
    while (is_op("**")) {
      size_t at = cur().offset;
      advance();
      l = arithmetic(BinaryOp::kPow, std::move(l), parse_unary(true), at);
    }
    return l;
  }
  // Bounds recursion so that pathological nesting is a diagnostic, not a
  // stack overflow (in the parser or later in the renderer).
  struct NestingGuard {
    Parser* p;
    NestingGuard(Parser* p, const char* what) : p(p) {
      if (++p->depth_ > kMaxNesting)
        p->fail(std::string(what) + " nested too deeply (more than " + std::to_string(kMaxNesting) +
                " levels)");
    }
    ~NestingGuard() { --p->depth_; }
  };
  static constexpr int kMaxNesting = 400;

  // Sets `e`'s depth from its children's. Chains built by a loop rather
  // than by recursion (`x|f|f|…`, `a + b + …`, `a.b.c…`) are where the
  // tree can grow deeper than the recursion the guard above counts.
  void nest(Expr& e) const {
    unsigned d = 0;
    for (const auto& c : e.children)
      if (c) d = std::max<unsigned>(d, c->depth);
    for (const auto& [k, v] : e.kwargs) d = std::max<unsigned>(d, v->depth);
    if (e.star_args) d = std::max<unsigned>(d, e.star_args->depth);
    if (e.star_kwargs) d = std::max<unsigned>(d, e.star_kwargs->depth);
    if (d + 1 > kMaxNesting)
      throw TemplateSyntaxError{e.offset, "expression nested too deeply (more than " +
                                              std::to_string(kMaxNesting) + " levels)"};
    e.depth = static_cast<uint16_t>(d + 1);
  }

  std::unique_ptr<Expr> parse_unary(bool with_filter) {
    NestingGuard guard(this, "expression");
    std::unique_ptr<Expr> node;
    if (is_op("-") || is_op("+")) {
      node = make(ExprKind::kUnary, cur().offset);
      node->unary_op = is_op("-") ? UnaryOp::kNeg : UnaryOp::kPos;
      advance();
      node->children.push_back(parse_unary(false));
      nest(*node);
    } else {
      node = parse_primary();
    }
    node = parse_postfix(std::move(node));
    if (with_filter) node = parse_filter_expr(std::move(node));
    return node;
  }

  std::unique_ptr<Expr> parse_primary() {
    const TemplateToken& t = cur();
    if (t.type == Tok::kName) {
      const std::string& n = t.text;
      auto e = make(ExprKind::kLiteral, t.offset);
      if (n == "true" || n == "True")
        e->value = TValue::boolean(true);
      else if (n == "false" || n == "False")
        e->value = TValue::boolean(false);
      else if (n == "none" || n == "None")
        e->value = TValue::none();
      else
        e->kind = ExprKind::kName;
      e->name = n;
      advance();
      return e;
    }
    if (t.type == Tok::kString) {
      auto e = make(ExprKind::kLiteral, t.offset);
      std::string s;
      while (cur().type == Tok::kString) {
        s += cur().text;
        advance();
      }
      e->value = TValue::string(std::move(s));
      return e;
    }
    if (t.type == Tok::kInt || t.type == Tok::kFloat) {
      auto e = make(ExprKind::kLiteral, t.offset);
      e->value = t.type == Tok::kInt ? TValue::integer(t.ival) : TValue::number(t.fval);
      advance();
      return e;
    }
    if (is_op("(")) {
      advance();
      auto e = parse_tuple(true, true);
      expect_op(")", "to close '('");
      return e;
    }
    if (is_op("[")) return parse_list_literal();
    if (is_op("{")) return parse_dict_literal();
    fail("expected an expression, found " + describe(t));
  }

  std::unique_ptr<Expr> parse_list_literal() {
    auto e = make(ExprKind::kList, cur().offset);
    advance();
    while (!is_op("]")) {
      if (!e->children.empty()) expect_op(",", "between list items");
      if (is_op("]")) break;
      e->children.push_back(parse_expression(true));
    }
    advance();
    nest(*e);
    return fold_constant(std::move(e));
  }

  std::unique_ptr<Expr> parse_dict_literal() {
    auto e = make(ExprKind::kDict, cur().offset);
    advance();
    while (!is_op("}")) {
      if (!e->children.empty()) expect_op(",", "between dict items");
      if (is_op("}")) break;
      e->children.push_back(parse_expression(true));
      expect_op(":", "after the dict key");
      e->children.push_back(parse_expression(true));
    }
    advance();
    nest(*e);
    return fold_constant(std::move(e));
  }

  std::unique_ptr<Expr> parse_postfix(std::unique_ptr<Expr> node) {
    while (true) {
      if (is_op(".") || is_op("["))
        node = parse_subscript(std::move(node));
      else if (is_op("("))
        node = parse_call(std::move(node));
      else
        return node;
    }
  }

  std::unique_ptr<Expr> parse_filter_expr(std::unique_ptr<Expr> node) {
    while (true) {
      if (is_op("|"))
        node = parse_filter_chain(std::move(node));
      else if (is_name("is"))
        node = parse_test(std::move(node));
      else if (is_op("("))
        node = parse_call(std::move(node));
      else
        return node;
    }
  }

  std::unique_ptr<Expr> parse_subscript(std::unique_ptr<Expr> node) {
    size_t offset = cur().offset;
    if (skip_op(".")) {
      if (cur().type == Tok::kName) {
        auto e = make(ExprKind::kGetattr, offset);
        e->name = cur().text;
        e->dict_method_name = is_dict_method(e->name);
        advance();
        e->children.push_back(std::move(node));
        nest(*e);
        return e;
      }
      if (cur().type == Tok::kInt) {
        share_literal(*node, LiteralUse::kItemsRead);
        auto e = make(ExprKind::kGetitem, offset);
        auto k = make(ExprKind::kLiteral, cur().offset);
        k->value = TValue::integer(cur().ival);
        advance();
        e->children.push_back(std::move(node));
        e->children.push_back(std::move(k));
        nest(*e);
        return e;
      }
      fail("expected an attribute name after '.', found " + describe(cur()));
    }
    advance();  // [
    std::vector<std::unique_ptr<Expr>> args;
    while (!is_op("]")) {
      if (!args.empty()) expect_op(",", "between subscripts");
      args.push_back(parse_subscribed());
    }
    advance();
    auto e = make(ExprKind::kGetitem, offset);
    if (args.size() == 1 && args[0]->kind != ExprKind::kSlice)
      share_literal(*node, LiteralUse::kItemsRead);
    e->children.push_back(std::move(node));
    if (args.size() == 1) {
      e->children.push_back(std::move(args[0]));
    } else {
      auto t = make(ExprKind::kTuple, offset);
      t->children = std::move(args);
      nest(*t);
      e->children.push_back(std::move(t));
    }
    nest(*e);
    return e;
  }

  std::unique_ptr<Expr> parse_subscribed() {
    size_t offset = cur().offset;
    std::unique_ptr<Expr> start;
    if (!is_op(":")) {
      start = parse_expression(true);
      if (!is_op(":")) return start;
    }
    advance();
    auto e = make(ExprKind::kSlice, offset);
    std::unique_ptr<Expr> stop, step;
    if (!is_op("]") && !is_op(",") && !is_op(":")) stop = parse_expression(true);
    if (skip_op(":"))
      if (!is_op("]") && !is_op(",")) step = parse_expression(true);
    e->children.push_back(std::move(start));
    e->children.push_back(std::move(stop));
    e->children.push_back(std::move(step));
    nest(*e);
    return e;
  }

  // Parses `( args )` into e->children (after any existing ones) and kwargs.
  void parse_call_args(Expr* e) {
    expect_op("(", "before the arguments");
    bool first = true;
    while (!is_op(")")) {
      if (!first) {
        expect_op(",", "between arguments");
        if (is_op(")")) break;
      }
      first = false;
      if (skip_op("*")) {
        e->star_args = parse_expression(true);
      } else if (skip_op("**")) {
        e->star_kwargs = parse_expression(true);
      } else if (cur().type == Tok::kName && peek(1).type == Tok::kOp && peek(1).text == "=") {
        std::string key = cur().text;
        advance();
        advance();
        e->kwargs.emplace_back(key, parse_expression(true));
      } else {
        if (!e->kwargs.empty()) fail("positional argument follows keyword argument");
        e->children.push_back(parse_expression(true));
      }
    }
    advance();
  }

  std::unique_ptr<Expr> parse_call(std::unique_ptr<Expr> node) {
    auto e = make(ExprKind::kCall, cur().offset);
    e->children.push_back(std::move(node));
    parse_call_args(e.get());
    nest(*e);
    e->call_shortcuts = call_shortcuts(*e);
    return e;
  }

  // Which of the renderer's special calls `call` may be (it decides at
  // run time, when it knows whether a variable hides `super` or `self`).
  static uint8_t call_shortcuts(const Expr& call) {
    const Expr& callee = *call.children[0];
    uint8_t bits = 0;
    if (callee.kind == ExprKind::kName && callee.name == "super") bits |= Expr::kSuperCall;
    if (callee.kind == ExprKind::kGetattr && callee.children[0]->kind == ExprKind::kName &&
        callee.children[0]->name == "self")
      bits |= Expr::kSelfBlockCall;
    if (callee.kind == ExprKind::kGetattr && callee.name == "cycle" && !call.star_args &&
        !call.star_kwargs && call.kwargs.empty() && call.children.size() > 1)
      bits |= Expr::kCycleCall;
    return bits;
  }

  std::unique_ptr<Expr> parse_filter_chain(std::unique_ptr<Expr> node, bool start_inline = false) {
    while (is_op("|") || start_inline) {
      if (!start_inline) advance();
      start_inline = false;
      auto e = make(ExprKind::kFilter, cur().offset);
      e->name = expect_name("a filter name");
      while (is_op(".") && peek(1).type == Tok::kName) {
        advance();
        e->name += "." + cur().text;
        advance();
      }
      e->children.push_back(std::move(node));
      if (is_op("(")) parse_call_args(e.get());
      nest(*e);
      node = std::move(e);
    }
    return node;
  }

  std::unique_ptr<Expr> parse_test(std::unique_ptr<Expr> node) {
    advance();  // is
    auto e = make(ExprKind::kTest, cur().offset);
    e->negated = skip_name("not");
    e->offset = cur().offset;
    e->name = expect_name("a test name");
    while (is_op(".") && peek(1).type == Tok::kName) {
      advance();
      e->name += "." + cur().text;
      advance();
    }
    e->children.push_back(std::move(node));
    if (is_op("(")) {
      parse_call_args(e.get());
    } else if ((cur().type == Tok::kName || cur().type == Tok::kString || cur().type == Tok::kInt ||
                cur().type == Tok::kFloat || is_op("[") || is_op("{")) &&
               !is_name("else") && !is_name("or") && !is_name("and")) {
      if (is_name("is")) fail("you cannot chain multiple tests with 'is'");
      auto arg = parse_postfix(parse_primary());
      e->children.push_back(std::move(arg));
    }
    nest(*e);
    return e;
  }

  std::vector<TemplateToken> toks_;
  size_t pos_ = 0;
  int depth_ = 0;
  Template* tpl_;
};

}  // namespace

bool autoescape_for_name(std::string_view name) {
  return name.ends_with(".html") || name.ends_with(".htm") || name.ends_with(".xml");
}

std::unique_ptr<Template> parse_template(std::string name, std::string_view source, bool autoescape,
                                         Diagnostic* error) {
  auto tpl = std::make_unique<Template>();
  tpl->name = std::move(name);
  tpl->autoescape = autoescape;
  // Jinja2 normalises newlines and drops one trailing newline
  // (keep_trailing_newline=False).
  std::string& src = tpl->source;
  src.reserve(source.size());
  for (size_t i = 0; i < source.size(); ++i) {
    if (source[i] == '\r') {
      src += '\n';
      if (i + 1 < source.size() && source[i + 1] == '\n') ++i;
    } else {
      src += source[i];
    }
  }
  std::string_view text = src;
  if (text.ends_with('\n')) text.remove_suffix(1);
  try {
    Parser parser(lex_template(text), tpl.get());
    parser.parse();
  } catch (const TemplateSyntaxError& e) {
    if (error) {
      error->severity = Severity::kError;
      error->location.path = tpl->name;
      line_and_column(src, std::min(e.offset, src.size()), &error->location.line,
                      &error->location.column);
      error->message = e.message;
      error->source_line = std::string(line_of(src, error->location.line));
    }
    return nullptr;
  }
  return tpl;
}

}  // namespace byline
