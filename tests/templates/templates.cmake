# The differential suite: every case rendered by `byline template render`
# and by Python's Jinja2, compared byte for byte.
add_test(NAME templates_differential
         COMMAND /usr/bin/python3 ${CMAKE_CURRENT_LIST_DIR}/differential.py
                 --tool $<TARGET_FILE:byline>
                 --cases ${CMAKE_CURRENT_LIST_DIR}/cases)
