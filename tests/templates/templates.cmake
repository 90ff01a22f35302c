# The differential suite: every case rendered by `byline template render`
# and by Python's Jinja2, compared byte for byte.
add_test(NAME templates_differential
         COMMAND /usr/bin/python3 ${CMAKE_CURRENT_LIST_DIR}/differential.py
                 --tool $<TARGET_FILE:byline>
                 --cases ${CMAKE_CURRENT_LIST_DIR}/cases)

# Jinja2's own test suite, recorded as data: every case rendered by
# `byline template render` and compared with Jinja2 3.1.6's output. The cases
# allowed to differ are listed in docs/templates.md, and nowhere else.
add_test(NAME templates_jinja_peer
         COMMAND /usr/bin/python3 ${CMAKE_CURRENT_LIST_DIR}/jinja_peer.py
                 --tool $<TARGET_FILE:byline>
                 --cases ${CMAKE_SOURCE_DIR}/../shared/testdata/jinja/jinja_peer_cases.json
                 --docs ${CMAKE_SOURCE_DIR}/docs/templates.md)
