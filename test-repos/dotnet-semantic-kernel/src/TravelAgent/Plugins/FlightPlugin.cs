using System.ComponentModel;
using Microsoft.SemanticKernel;

namespace TravelAgent.Plugins;

/// <summary>Flight search exposed to the model as a kernel function.</summary>
public sealed class FlightPlugin
{
    [KernelFunction("find_flights")]
    [Description("Finds direct flights between two airports on a date (yyyy-MM-dd).")]
    public IReadOnlyList<string> FindFlights(string from, string to, string date) =>
        [$"{from}-{to} {date} 07:40", $"{from}-{to} {date} 18:15"];
}
