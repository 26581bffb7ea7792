// cakupan's chart runtime: what assets/site.js needs to make a chart interactive, and nothing more.
//
// Every chart reaches the page already compiled to Vega (vl-convert, at build time), so neither
// Vega-Lite's compiler nor vega-embed is shipped. Of Vega's transforms only the families the
// compiled charts use are registered: the dataflow ones (filter, formula, stack, timeunit, ...),
// the view ones (bounds, layout, overlap) and the encoders (scales, axes, legends); geo, force,
// hierarchy, label, regression, voronoi, wordcloud and crossfilter stay out, and the bundler drops
// their code. tests/test_runtime.py checks that every chart the site draws needs nothing else.
// Expressions are evaluated by vega-interpreter, never by new Function(): the site's
// Content-Security-Policy has no 'unsafe-eval'. Tooltips come from vega-tooltip without its
// inserted <style> (the site's stylesheet styles #vg-tooltip-element), so the policy needs no
// style hash either.
//
// `make runtime` bundles this file into generator/site/vega.js (committed: a build needs no npm);
// build.mjs writes the bundle's first line: the versions it holds and the SHA-256 of this file
// and of package-lock.json, which the tests compare with the files as they are.
import {extend} from 'vega-util';
import {transforms} from 'vega-dataflow';
import * as dataflow from 'vega-transforms';
import * as view from 'vega-view-transforms';
import * as encode from 'vega-encode';
import {parse} from 'vega-parser';
import {View} from 'vega-view';
import {numberFormatDefaultLocale, timeFormatDefaultLocale} from 'vega-format';
import {expressionInterpreter} from 'vega-interpreter';
import {Handler} from 'vega-tooltip';

extend(transforms, dataflow, view, encode);

let tooltip = null;

// Draw a compiled Vega spec into container as SVG; resolves with the view once it is drawn.
// options: formatLocale and timeFormatLocale (d3 locale objects, the site's Indonesian ones).
window.cakupanChart = function (container, spec, options) {
  numberFormatDefaultLocale(options.formatLocale);
  timeFormatDefaultLocale(options.timeFormatLocale);
  tooltip = tooltip || new Handler({disableDefaultStyle: true});
  const chart = new View(parse(spec, null, {ast: true}), {
    container, renderer: 'svg', hover: true, expr: expressionInterpreter, tooltip: tooltip.call
  });
  return chart.runAsync();
};
