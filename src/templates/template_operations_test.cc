// Python's operators on TValues directly, as the renderer calls them once
// the parser has resolved them: results, wrapping, and Python's messages.
#include "templates/template_operations.h"

#include <gtest/gtest.h>

#include <limits>

namespace byline {
namespace {

std::string str(const TValue& v) { return v.str(); }

std::string error_of(BinaryOp op, const TValue& a, const TValue& b) {
  try {
    binary_op(op, a, b);
  } catch (const TemplateError& e) {
    return e.message;
  }
  return "(no error)";
}

TEST(TemplateOperations, Arithmetic) {
  const TValue seven = TValue::integer(7), two = TValue::integer(2), neg = TValue::integer(-7);
  EXPECT_EQ(str(binary_op(BinaryOp::kAdd, seven, two)), "9");
  EXPECT_EQ(str(binary_op(BinaryOp::kSub, seven, TValue::number(0.5))), "6.5");
  EXPECT_EQ(str(binary_op(BinaryOp::kDiv, seven, two)), "3.5");
  EXPECT_EQ(str(binary_op(BinaryOp::kFloorDiv, neg, two)), "-4");
  EXPECT_EQ(str(binary_op(BinaryOp::kMod, neg, TValue::integer(3))), "2");
  EXPECT_EQ(str(binary_op(BinaryOp::kPow, two, TValue::integer(10))), "1024");
  EXPECT_EQ(str(binary_op(BinaryOp::kMul, TValue::string("ab"), two)), "abab");
  EXPECT_EQ(str(binary_op(BinaryOp::kMod, TValue::string("%s!"), seven)), "7!");
}

// Python's integers grow; byline's are 64-bit, and a result that does not
// fit is an error rather than a wrapped number.
TEST(TemplateOperations, IntegerOverflowIsAnError) {
  const TValue max = TValue::integer(std::numeric_limits<int64_t>::max());
  const TValue min = TValue::integer(std::numeric_limits<int64_t>::min());
  EXPECT_EQ(error_of(BinaryOp::kAdd, max, TValue::integer(1)),
            "integer overflow in '+': the result does not fit in 64 bits");
  EXPECT_EQ(error_of(BinaryOp::kSub, min, TValue::integer(1)),
            "integer overflow in '-': the result does not fit in 64 bits");
  EXPECT_EQ(error_of(BinaryOp::kMul, max, TValue::integer(2)),
            "integer overflow in '*': the result does not fit in 64 bits");
  EXPECT_EQ(error_of(BinaryOp::kPow, TValue::integer(2), TValue::integer(63)),
            "integer overflow in '**': the result does not fit in 64 bits");
  EXPECT_EQ(error_of(BinaryOp::kFloorDiv, min, TValue::integer(-1)),
            "integer overflow in '//': the result does not fit in 64 bits");
  EXPECT_EQ(str(binary_op(BinaryOp::kMod, min, TValue::integer(-1))), "0");
  EXPECT_EQ(str(binary_op(BinaryOp::kAdd, min, max)), "-1");
  try {
    unary_op(UnaryOp::kNeg, min);
    ADD_FAILURE() << "-INT64_MIN did not fail";
  } catch (const TemplateError& e) {
    EXPECT_EQ(e.message, "integer overflow in 'unary -': the result does not fit in 64 bits");
  }
}

TEST(TemplateOperations, MessagesNameTheOperator) {
  EXPECT_EQ(error_of(BinaryOp::kFloorDiv, TValue::string("a"), TValue::integer(1)),
            "unsupported operand type(s) for //: 'str' and 'int'");
  EXPECT_EQ(error_of(BinaryOp::kPow, TValue::none(), TValue::integer(1)),
            "unsupported operand type(s) for **: 'NoneType' and 'int'");
  EXPECT_EQ(error_of(BinaryOp::kAdd, TValue::string("a"), TValue::integer(1)),
            "can only concatenate str (not \"int\") to str");
  EXPECT_EQ(error_of(BinaryOp::kDiv, TValue::integer(1), TValue::integer(0)), "division by zero");
}

TEST(TemplateOperations, UnaryOnNumbersOnly) {
  EXPECT_EQ(str(unary_op(UnaryOp::kNeg, TValue::boolean(true))), "-1");
  EXPECT_EQ(str(unary_op(UnaryOp::kPos, TValue::number(2.5))), "2.5");
  try {
    unary_op(UnaryOp::kNeg, TValue::string("a"));
    ADD_FAILURE();
  } catch (const TemplateError& e) {
    EXPECT_EQ(e.message, "bad operand type for unary -: 'str'");
  }
}

TEST(TemplateOperations, Comparisons) {
  const TValue one = TValue::integer(1), two = TValue::number(2.0);
  EXPECT_TRUE(compare_op(CompareOp::kLt, one, two));
  EXPECT_TRUE(compare_op(CompareOp::kLe, one, TValue::boolean(true)));
  EXPECT_FALSE(compare_op(CompareOp::kGt, one, two));
  EXPECT_TRUE(compare_op(CompareOp::kGe, two, two));
  EXPECT_TRUE(compare_op(CompareOp::kEq, one, TValue::number(1.0)));
  EXPECT_TRUE(compare_op(CompareOp::kNe, one, two));
  const TValue list = TValue::list({one, two});
  EXPECT_TRUE(compare_op(CompareOp::kIn, two, list));
  EXPECT_TRUE(compare_op(CompareOp::kNotIn, TValue::integer(3), list));
  EXPECT_TRUE(compare_op(CompareOp::kIn, TValue::string("at"), TValue::string("cat")));
}

// int() of a float outside the 64-bit range is clamped, not a cast with
// undefined behaviour.
TEST(TemplateOperations, FloatToIntClamps) {
  EXPECT_EQ(float_to_int(2.9), 2);
  EXPECT_EQ(float_to_int(-2.9), -2);
  EXPECT_EQ(float_to_int(1e30), std::numeric_limits<int64_t>::max());
  EXPECT_EQ(float_to_int(-1e30), std::numeric_limits<int64_t>::min());
  EXPECT_EQ(float_to_int(9223372036854775808.0), std::numeric_limits<int64_t>::max());
  EXPECT_EQ(float_to_int(-9223372036854775808.0), std::numeric_limits<int64_t>::min());
  EXPECT_EQ(float_to_int(std::numeric_limits<double>::infinity()),
            std::numeric_limits<int64_t>::max());
  EXPECT_EQ(float_to_int(std::numeric_limits<double>::quiet_NaN()), 0);
}

}  // namespace
}  // namespace byline
