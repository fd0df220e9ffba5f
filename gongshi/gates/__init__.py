"""The site gates on a built site: every link and asset resolves (links), the Nu Html Checker finds no error (nu),
and in Chromium no page asks another host, logs a script error or fails axe-core (browser). `gongshi gates site`
runs them (site), in this repository's `make gates` and in every county's pull-request workflow; the test suite
uses the same checkers. Their tools are the `gates` extra (`gongshi gates requirements` prints them), a Java
runtime and a Chromium or Chrome; none of them is needed to build a site.
"""
