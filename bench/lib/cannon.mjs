// Runs one autocannon load in its own process, so that the load generator does not share the event
// loop of the server it measures. Usage: node bench/lib/cannon.mjs '<autocannon options as JSON>'.
// Prints the autocannon result as one JSON line.
import autocannon from 'autocannon';

const opts = JSON.parse(process.argv[2]);
const result = await autocannon(opts);
process.stdout.write(`${JSON.stringify(result)}\n`);
