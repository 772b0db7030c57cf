"""Read: the inputs of a draft, each understood in one place.

- the answers file: `yamlsource` (YAML with line numbers) -> `answers` (the models) ->
  `rules` (R1-R23) -> `load` (runs both, problems with lines);
- the clause library: `library` (versioned files) -> `conditions` (sandboxed Jinja) and
  `markup` (the body markup); `bytecode` keeps compiled templates between runs; `check`
  checks the whole library.
"""
