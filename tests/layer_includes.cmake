# The layers that must run nothing, checked by what their files include (ctest -R layer_includes):
#  - analysis computes from results and runs no world;
#  - report only turns results into files: it runs no world and does not touch the terminal
#    (no progress line, no isatty, no signal handling; those are the command line's);
#  - lab reads exports back and fits models: it runs no world and, like report, leaves the
#    terminal to the command line.
# A project include must start with one of the layer's allowed folders and not be a header
# that runs a world; a file must not use the terminal's calls. Usage:
#   cmake -DSOURCE_DIR=<repository> -P tests/layer_includes.cmake
cmake_minimum_required(VERSION 3.22)
set(allowed_analysis core/ metrics/ world/ scenario/ analysis/ version.hpp)
set(allowed_report core/ metrics/ world/ scenario/ analysis/ report/ version.hpp)
set(allowed_lab lab/ report/ analysis/ scenario/ metrics/ version.hpp)
# world/world.hpp is the world that runs; the other world headers are its settings and outcome.
set(runs_a_world world/world.hpp)
set(terminal_calls isatty <csignal> <signal.h> "signal(" ProgressLine on_progress)

set(problems "")
foreach(layer analysis report lab)
  file(GLOB files ${SOURCE_DIR}/sim/${layer}/*.cpp ${SOURCE_DIR}/sim/${layer}/*.hpp)
  foreach(file ${files})
    file(RELATIVE_PATH name ${SOURCE_DIR} ${file})
    file(STRINGS ${file} includes REGEX "^[ \t]*#[ \t]*include[ \t]*\"")
    foreach(line ${includes})
      string(REGEX REPLACE "^[^\"]*\"([^\"]*)\".*$" "\\1" header "${line}")
      set(allowed FALSE)
      foreach(prefix ${allowed_${layer}})
        string(FIND "${header}" "${prefix}" at)
        if(at EQUAL 0)
          set(allowed TRUE)
        endif()
      endforeach()
      if(NOT allowed OR header IN_LIST runs_a_world)
        string(APPEND problems "${name}: includes \"${header}\", outside what ${layer} may use\n")
      endif()
    endforeach()
    file(READ ${file} text)
    foreach(call ${terminal_calls})
      string(FIND "${text}" "${call}" at)
      if(NOT at EQUAL -1)
        string(APPEND problems "${name}: uses ${call}, which belongs to the command line (sim/cli)\n")
      endif()
    endforeach()
  endforeach()
endforeach()

if(problems)
  message(FATAL_ERROR "layer rules broken:\n${problems}")
endif()
message(STATUS "analysis, report and lab include only what their layers may use")
