using System.CommandLine;
using System.Text.Json;
using UrbanScore.Geo;

namespace UrbanScore.Cli.Commands.Countries;

/// <summary><c>urbanscore countries</c>: lists the countries --country accepts.</summary>
internal static class CountriesCommand
{
    public static Command Create(CliContext context)
    {
        var json = new Option<bool>("--json") { Description = "Print the list as JSON." };
        var command = new Command("countries", "List the embedded countries (Natural Earth 1:50m, public domain) with their ISO 3166-1 codes.");
        command.Options.Add(json);
        command.SetAction(async (parseResult, cancellationToken) =>
        {
            var all = CountryCatalog.All;
            if (parseResult.GetValue(json))
            {
                await context.Out.WriteLineAsync(JsonSerializer.Serialize(all.Select(c => new { name = c.Name, alpha2 = c.Alpha2, alpha3 = c.Alpha3, numeric = c.Numeric }))).ConfigureAwait(false);
                return ExitCodes.Success;
            }

            await context.Out.WriteLineAsync("alpha2  alpha3  numeric  name").ConfigureAwait(false);
            foreach (var c in all)
            {
                await context.Out.WriteLineAsync($"{c.Alpha2,-7} {c.Alpha3,-7} {c.Numeric,-8} {c.Name}").ConfigureAwait(false);
            }

            await context.Out.WriteLineAsync($"{all.Count} countries; boundaries from Natural Earth (public domain).").ConfigureAwait(false);
            return ExitCodes.Success;
        });
        return command;
    }
}
